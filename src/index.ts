// Entry point of the main step (runs.main in action.yml).
import { run } from './main.js'

await run()

// The module versions the demo's loopback proxy serves; examples/ depends on exactly these.
import type { FixtureModule } from '../__tests__/helpers/modzip.js'

export const demoModules: FixtureModule[] = [
  { path: 'example.com/greeting', version: 'v1.0.0' },
  { path: 'example.com/greeting', version: 'v1.1.0' },
  { path: 'example.com/unused', version: 'v1.0.0' }
]

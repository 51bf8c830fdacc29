// Imported first by both entry points, before undici can compile its HTTP parser.
// undici parses HTTP with llhttp compiled to WebAssembly. V8 compiles it with Liftoff, then recompiles the whole
// module with TurboFan on a background thread: about half a second of one core, measured on Node 20. Node's exit
// waits for that job, so any step that made one request ended about 200 ms late, and on a 2-core runner the job
// competes with go for CPU. Liftoff's code parses the few hundred header bytes of a response just as well; the
// bodies we relay pass through the parser as spans, not byte by byte.
import { setFlagsFromString } from 'node:v8'

setFlagsFromString('--liftoff-only')

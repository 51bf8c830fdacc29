// Bundles the two entry points the runner executes (main and post) into dist/.
import commonjs from '@rollup/plugin-commonjs'
import json from '@rollup/plugin-json'
import { nodeResolve } from '@rollup/plugin-node-resolve'
import typescript from '@rollup/plugin-typescript'
import { fileURLToPath } from 'node:url'

// `undici` resolves to undici-subset.cjs: the bundle loads only the undici the action uses (about 60 ms of every step).
function undiciSubset() {
  const subset = fileURLToPath(new URL('./undici-subset.cjs', import.meta.url))
  return {
    name: 'undici-subset',
    resolveId(id) {
      return id === 'undici' ? subset : null
    }
  }
}

export default {
  input: { index: 'src/index.ts', post: 'src/post.ts' },
  output: { dir: 'dist', format: 'es', entryFileNames: '[name].js', chunkFileNames: 'shared/[name].js' },
  plugins: [
    undiciSubset(),
    typescript({ tsconfig: 'tsconfig.build.json' }),
    nodeResolve({ preferBuiltins: true }),
    commonjs(),
    json()
  ],
  onwarn(warning, warn) {
    // Third-party ESM code legitimately uses top-level `this` and circular imports.
    if (warning.code === 'THIS_IS_UNDEFINED' || warning.code === 'CIRCULAR_DEPENDENCY') return
    warn(warning)
  }
}

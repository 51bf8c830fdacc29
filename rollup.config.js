// Bundles the two entry points the runner executes (main and post) into dist/.
import commonjs from '@rollup/plugin-commonjs'
import json from '@rollup/plugin-json'
import { nodeResolve } from '@rollup/plugin-node-resolve'
import typescript from '@rollup/plugin-typescript'

// undici's cookie helpers also brand-check against globalThis.Headers, and reading that global makes Node load its
// own bundled copy of undici: a second HTTP stack plus its llhttp compile, about 50 ms of every step. The action never
// uses cookies; the check keeps undici's own Headers class. The build stops if undici's code changes under us.
function withoutNodesUndici() {
  const file = '/node_modules/undici/lib/web/cookies/index.js'
  const from = '[Headers, globalThis.Headers].filter(Boolean)'
  let patched = false
  return {
    name: 'without-nodes-undici',
    transform(code, id) {
      if (!id.replace(/\\/g, '/').endsWith(file)) return null
      if (!code.includes(from)) this.error(`${file} no longer contains ${from}: review the without-nodes-undici plugin`)
      patched = true
      return { code: code.replace(from, '[Headers]'), map: null }
    },
    buildEnd(error) {
      if (!error && !patched) this.error(`${file} was not bundled: review the without-nodes-undici plugin`)
    }
  }
}

export default {
  input: { index: 'src/index.ts', post: 'src/post.ts' },
  output: { dir: 'dist', format: 'es', entryFileNames: '[name].js', chunkFileNames: 'shared/[name].js' },
  plugins: [
    withoutNodesUndici(),
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

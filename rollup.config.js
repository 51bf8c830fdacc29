// Bundles the two entry points the runner executes (main and post) into dist/, and the command line (dist/cli.js).
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

// On Node >= 22.5, node:http has lazy WebSocket, CloseEvent and MessageEvent getters that load Node's internal undici,
// and an ESM import of node:http reads every export: the import alone loads that second HTTP stack (and http2), about
// 50 ms on Node 24, which runs node20 actions on GitHub's hosted runners. The bundle takes node:http through require().
function httpViaRequire() {
  const id = '\0node-http-via-require'
  const names = [
    'METHODS',
    'STATUS_CODES',
    'Agent',
    'ClientRequest',
    'IncomingMessage',
    'OutgoingMessage',
    'Server',
    'ServerResponse',
    'createServer',
    'validateHeaderName',
    'validateHeaderValue',
    'get',
    'request',
    'setMaxIdleHTTPParsers',
    'maxHeaderSize',
    'globalAgent'
  ]
  return {
    name: 'http-via-require',
    resolveId: (source) => (source === 'http' || source === 'node:http' ? id : null),
    load: (source) =>
      source === id
        ? [
            "import { createRequire } from 'node:module'",
            "const http = createRequire(import.meta.url)('node:http')",
            'export default http',
            `export const { ${names.join(', ')} } = http`
          ].join('\n')
        : null
  }
}

const plugins = () => [
  undiciSubset(),
  httpViaRequire(),
  typescript({ tsconfig: 'tsconfig.build.json' }),
  nodeResolve({ preferBuiltins: true }),
  commonjs(),
  json()
]

function onwarn(warning, warn) {
  // Third-party ESM code legitimately uses top-level `this` and circular imports.
  if (warning.code === 'THIS_IS_UNDEFINED' || warning.code === 'CIRCULAR_DEPENDENCY') return
  warn(warning)
}

// The command line (`go-tidy-guard`, package.json's bin) is a build of its own, with its own chunks (cli-shared/):
// the action's entries and chunks come out exactly as they would without it.
export default [
  {
    input: { index: 'src/index.ts', post: 'src/post.ts' },
    output: { dir: 'dist', format: 'es', entryFileNames: '[name].js', chunkFileNames: 'shared/[name].js' },
    plugins: plugins(),
    onwarn
  },
  {
    input: { cli: 'src/cli/cli.ts' },
    output: {
      dir: 'dist',
      format: 'es',
      entryFileNames: '[name].js',
      chunkFileNames: 'cli-shared/[name].js',
      banner: '#!/usr/bin/env node'
    },
    plugins: plugins(),
    onwarn
  }
]

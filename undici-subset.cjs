// What the bundle takes from undici: the parts the action and @actions/http-client import, not undici's index.js,
// which also loads fetch, WebSocket, EventSource, the cache and mock agents (and, through its cookie helpers, Node's
// own internal copy of undici). rollup.config.js resolves `undici` to this file; tests and type checks use undici
// itself, and __tests__/bundle.test.ts checks that every name imported from undici is here, as the very same object.
'use strict'
const Dispatcher = require('undici/lib/dispatcher/dispatcher.js')
const api = require('undici/lib/api/index.js')

// As undici's index.js does: dispatcher.request(), .stream(), ... come from the api mixin.
Object.assign(Dispatcher.prototype, api)

module.exports = {
  Dispatcher,
  Client: require('undici/lib/dispatcher/client.js'),
  ProxyAgent: require('undici/lib/dispatcher/proxy-agent.js'),
  EnvHttpProxyAgent: require('undici/lib/dispatcher/env-http-proxy-agent.js'),
  buildConnector: require('undici/lib/core/connect.js'),
  interceptors: { redirect: require('undici/lib/interceptor/redirect.js') }
}

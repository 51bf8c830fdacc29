// The command line's --help text.
export const HELP = `go-tidy-guard: go mod tidy drift checks that survive flaky, blocked and intercepting networks

Usage:
  go-tidy-guard check [dir] [flags]    fail when go.mod/go.sum are not tidy (never writes files)
  go-tidy-guard fix [dir] [flags]      tidy go.mod/go.sum in place
  go-tidy-guard doctor [flags]         diagnose the network go would use now, and print the fix
  go-tidy-guard relay [--listen 127.0.0.1:PORT] [flags]
                                       a local failover module proxy for every go command; Ctrl-C stops it

[dir] is the workspace (default: the current directory); modules are found below it (go.work, go.mod, or
every go.mod), as in the action.

Flags (the action's inputs, same names and accepted values; defaults from go env):
  --goproxy LIST           GOPROXY list (, | or newlines; direct and off allowed)
  --goprivate PATTERNS     private module path patterns (also the default of --gonoproxy and --gonosumdb)
  --gonoproxy PATTERNS     fetched directly, never through a proxy
  --gonosumdb PATTERNS     not checked against the checksum database
  --gosumdb VALUE          name, name+key, name+key url, or off
  --modules DIRS           module directories or globs below [dir] (repeatable)
  --preflight MODE         true (default), false or strict
  --preflight-timeout S    seconds for all probes together (0.1 to 600; default 5)
  --stall-timeout S        seconds a go request may make no progress (0.1 to 600, 0 = off; default 60)
  --retries N              retries per request and per module (0 to 10; default 3)
  --relay BOOL             run go through the local failover relay (default true)
  --concurrency N          go processes at once (1 to 64; default: two per usable CPU)
  --shard K/N              only this part of the modules
  --tidy-args ARGS         -e, -v, -x, -compat=<go version>, -go=<go version>
  --netrc LINES            netrc lines (machine HOST login USER password SECRET; repeatable); default: go's
                           own NETRC or ~/.netrc
  --ca-certificates PEM    extra CA certificates to trust: a PEM file or the PEM text (repeatable)
  --token TOKEN            credential git sends to --private-hosts for private modules fetched directly
  --private-hosts HOSTS    hosts that get --token

Output:
  --json                   print the result as JSON (the RunResult the action reports from); no other output
  --format FORMAT          annotations: github (workflow commands), gitlab (a Code Quality report file) or
                           plain (file:line: message). Default: github under GitHub Actions, gitlab under
                           GitLab CI, else plain
  --report-file FILE       where --format gitlab writes (default gl-code-quality-report.json)
  --listen ADDR            relay only: 127.0.0.1:PORT (loopback only; default a free port)
  -h, --help               this text

Colour and the progress spinner appear only on a terminal; NO_COLOR=1 turns them off.

Exit codes:
  0  tidy (fix: tidy or fixed; doctor: go can work as configured; relay: stopped by SIGINT/SIGTERM)
  1  drift: go.mod/go.sum are not tidy (check)
  2  failure: go mod tidy or the network failed (doctor: go cannot work as configured)
  3  bad usage: an unknown flag or command, or a value that is not accepted
`

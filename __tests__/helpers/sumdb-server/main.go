// A checksum database for the tests, built from the Go toolchain's own copy of golang.org/x/mod/sumdb
// (GOROOT/src/cmd/vendor; see sumdb.ts): sumdb.TestServer keeps a real Merkle tree and signs it with a key made at
// start, so go verifies every answer exactly as it verifies the public checksum database's. It is served the way a
// module proxy relays a checksum database: under /sumdb/<name>/, with /sumdb/<name>/supported.
//
// Usage: sumdb-server <name> <go.sum file> [corrupt]
// The go.sum file holds the lines the database vouches for. With "corrupt", every signed tree it sends has one
// byte of its signature changed. It prints {"url": ..., "key": ...} on one line, then one line per request, and
// exits when stdin closes.
package main

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"

	"golang.org/x/mod/sumdb"
	"golang.org/x/mod/sumdb/note"
)

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: sumdb-server <name> <go.sum file> [corrupt]")
		os.Exit(2)
	}
	name, sumFile := os.Args[1], os.Args[2]
	corrupt := len(os.Args) > 3 && os.Args[3] == "corrupt"
	data, err := os.ReadFile(sumFile)
	check(err)
	skey, vkey, err := note.GenerateKey(rand.Reader, name)
	check(err)

	// The database's record for path@vers: its go.sum lines, zip hash first, as the public one answers.
	gosum := func(path, vers string) ([]byte, error) {
		var zip, mod string
		for _, line := range strings.Split(string(data), "\n") {
			f := strings.Fields(line)
			if len(f) != 3 || f[0] != path {
				continue
			}
			switch f[1] {
			case vers:
				zip = line + "\n"
			case vers + "/go.mod":
				mod = line + "\n"
			}
		}
		if zip == "" || mod == "" {
			return nil, fmt.Errorf("%s@%s: %w", path, vers, os.ErrNotExist)
		}
		return []byte(zip + mod), nil
	}
	db := sumdb.NewServer(sumdb.NewTestServer(skey, gosum))

	prefix := "/sumdb/" + name
	mux := http.NewServeMux()
	mux.HandleFunc(prefix+"/supported", func(w http.ResponseWriter, r *http.Request) {})
	var handler http.Handler = http.StripPrefix(prefix, db)
	if corrupt {
		handler = corruptSignatures(handler)
	}
	mux.Handle(prefix+"/", handler)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	check(err)
	var out sync.Mutex
	check(json.NewEncoder(os.Stdout).Encode(map[string]string{"url": "http://" + ln.Addr().String(), "key": vkey}))
	logged := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		out.Lock()
		fmt.Printf("%s %s\n", r.Method, r.URL.Path)
		out.Unlock()
		mux.ServeHTTP(w, r)
	})
	go func() {
		io.Copy(io.Discard, os.Stdin)
		os.Exit(0)
	}()
	check(http.Serve(ln, logged))
}

// corruptSignatures changes one byte of the signature line ("— name sig") of every signed note it passes on.
func corruptSignatures(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &buffer{header: http.Header{}, status: http.StatusOK}
		h.ServeHTTP(rec, r)
		body := rec.body
		// The signature line ends the note: "— <name> <base64 of key hash and signature>\n". Swap one base64
		// letter for another in its middle, so that it still decodes but no longer verifies.
		if i := strings.LastIndex(string(body), "\n\u2014 "); i >= 0 && len(body) > i+40 {
			j := len(body) - 20
			if body[j] == 'A' {
				body[j] = 'B'
			} else {
				body[j] = 'A'
			}
		}
		for k, v := range rec.header {
			w.Header()[k] = v
		}
		w.Header().Del("Content-Length")
		w.WriteHeader(rec.status)
		w.Write(body)
	})
}

type buffer struct {
	header http.Header
	status int
	body   []byte
}

func (b *buffer) Header() http.Header         { return b.header }
func (b *buffer) WriteHeader(status int)      { b.status = status }
func (b *buffer) Write(p []byte) (int, error) { b.body = append(b.body, p...); return len(p), nil }

func check(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "sumdb-server:", err)
		os.Exit(1)
	}
}

package prom

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"testing/iotest"
	"time"
)

func TestReadAheadDeliversTheBodyUnchanged(t *testing.T) {
	for _, size := range []int{0, 1, readAheadChunk - 1, readAheadChunk, readAheadChunk + 1, 9*readAheadChunk + 17} {
		body := make([]byte, size)
		for i := range body {
			body[i] = byte(i * 7)
		}
		// Small reads from the body (as a socket or a gunzipper gives them) and small reads by the
		// consumer (as a decoder's buffer does) must not lose, repeat or reorder a byte.
		ra := newReadAhead(io.NopCloser(iotest.HalfReader(bytes.NewReader(body))))
		got, err := io.ReadAll(iotest.OneByteReader(ra))
		if err != nil {
			t.Fatalf("size %d: %v", size, err)
		}
		if !bytes.Equal(got, body) {
			t.Fatalf("size %d: read %d bytes that differ from the body", size, len(got))
		}
		if n, err := ra.Read(make([]byte, 8)); n != 0 || err != io.EOF {
			t.Fatalf("size %d: a read past the end gave %d, %v; want 0, io.EOF", size, n, err)
		}
		_ = ra.Close()
	}
}

// The decoder tells a cut connection from a clean end by the error the body returns, so the
// error after the last byte must be the body's own, not io.EOF (io.ReadFull would rewrite one).
func TestReadAheadPassesTheBodysErrorAfterItsData(t *testing.T) {
	for _, bodyErr := range []error{io.ErrUnexpectedEOF, errors.New("connection reset by peer")} {
		data := bytes.Repeat([]byte("x"), readAheadChunk+100)
		ra := newReadAhead(io.NopCloser(io.MultiReader(bytes.NewReader(data), iotest.ErrReader(bodyErr))))
		got, err := io.ReadAll(ra)
		if err != bodyErr {
			t.Fatalf("error %v, want %v", err, bodyErr)
		}
		if !bytes.Equal(got, data) {
			t.Fatalf("read %d bytes before the error, want %d", len(got), len(data))
		}
		_ = ra.Close()
	}
}

// blockingBody never answers until it is closed, like a stalled connection.
type blockingBody struct{ closed chan struct{} }

func (b *blockingBody) Read([]byte) (int, error) {
	<-b.closed
	return 0, errors.New("read on closed connection")
}
func (b *blockingBody) Close() error { close(b.closed); return nil }

func TestReadAheadCloseEndsAStalledRead(t *testing.T) {
	body := &blockingBody{closed: make(chan struct{})}
	ra := newReadAhead(body)
	read := make(chan error, 1)
	go func() {
		_, err := ra.Read(make([]byte, 16))
		read <- err
	}()
	time.Sleep(10 * time.Millisecond) // let the reader block
	if err := ra.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-read:
		if err == nil {
			t.Fatal("a read of a closed answer succeeded")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not end the blocked read")
	}
	if err := ra.Close(); err != nil {
		t.Fatalf("a second Close: %v", err)
	}
}

// A decoder stops at the answer's closing brace, before the body reports its end; closing the body
// then makes Go's transport drop the connection. Reading ahead reaches the end first, so queries
// keep reusing one connection (which matters most over TLS).
func TestQueriesReuseTheConnection(t *testing.T) {
	answer := []byte(`{"status":"success","data":{"resultType":"vector","result":[` + string(bytes.Repeat([]byte(`{"metric":{},"value":[1,"1"]},`), 6000)) + `{"metric":{},"value":[1,"1"]}]}}`)
	var conns atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(answer) // no Content-Length: a chunked body, whose end is a separate read
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	c, err := NewClient(srv.URL, srv.Client(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 10; i++ {
		resp, err := c.Query(context.Background(), "up", time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.ReadFull(resp.Body, make([]byte, len(answer))); err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	if n := conns.Load(); n != 1 {
		t.Fatalf("10 queries opened %d connections, want 1", n)
	}
}

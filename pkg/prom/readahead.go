package prom

import (
	"errors"
	"io"
	"sync"
)

// A query answer is decoded while it arrives. Reading it on a goroutine of its own lets the
// next part of the body cross the network (and be gunzipped: Go's transport asks for gzip, and
// Prometheus and VictoriaMetrics compress) while the decoder turns the part before it into
// frames. Chunks are read full, so the decoder's buffer is refilled in few, large reads: a
// number cut by the end of its buffer sends jsoniter to a slow, allocating path, and a gunzipped
// body arrives in small pieces. Reading ahead also reaches the body's end before the decoder
// (which stops at the closing brace) closes it, so the transport keeps the connection for reuse.
const (
	readAheadChunk  = 64 << 10
	readAheadChunks = 4 // chunks read ahead of the decoder at most: memory stays bounded
)

var errReadAfterClose = errors.New("read of a Prometheus answer after it was closed")

var chunkPool = sync.Pool{New: func() any { b := make([]byte, readAheadChunk); return &b }}

type chunk struct {
	buf *[]byte
	n   int
	err error // set on the last chunk: io.EOF or the body's read error, passed on unchanged
}

// readAhead is an io.ReadCloser over body that reads ahead of its consumer.
type readAhead struct {
	body   io.ReadCloser
	chunks chan chunk
	done   chan struct{}
	cur    chunk
	off    int
	closed sync.Once
}

// newReadAhead starts reading body ahead of the caller, who must Close the result.
func newReadAhead(body io.ReadCloser) *readAhead {
	ra := &readAhead{body: body, chunks: make(chan chunk, readAheadChunks-1), done: make(chan struct{})}
	go ra.fill()
	return ra
}

func (ra *readAhead) fill() {
	for {
		buf := chunkPool.Get().(*[]byte)
		// Not io.ReadFull: it rewrites io.EOF, and the decoder tells a clean end (io.EOF) from a
		// broken body (any other error) by the error the body returned.
		n, err := 0, error(nil)
		for n < len(*buf) && err == nil {
			var m int
			m, err = ra.body.Read((*buf)[n:])
			n += m
		}
		select {
		case ra.chunks <- chunk{buf: buf, n: n, err: err}:
		case <-ra.done:
			chunkPool.Put(buf)
			return
		}
		if err != nil {
			return
		}
	}
}

func (ra *readAhead) Read(p []byte) (int, error) {
	for ra.cur.buf == nil || ra.off == ra.cur.n {
		if ra.cur.buf != nil {
			if ra.cur.err != nil {
				return 0, ra.cur.err
			}
			chunkPool.Put(ra.cur.buf)
		}
		select {
		case ra.cur = <-ra.chunks:
			ra.off = 0
		case <-ra.done:
			return 0, errReadAfterClose
		}
	}
	n := copy(p, (*ra.cur.buf)[ra.off:ra.cur.n])
	ra.off += n
	return n, nil
}

// Close stops the reading goroutine and closes the body, which ends a read it is blocked in.
func (ra *readAhead) Close() error {
	var err error
	ra.closed.Do(func() {
		close(ra.done)
		err = ra.body.Close()
	})
	return err
}

package framing

import (
	"errors"
	"io"
	"sync"

	jsoniter "github.com/json-iterator/go"

	"github.com/pulse-monitoring/pulse/pkg/prom"
)

// envelope is what every Prometheus API answer carries around its data:
// {"status":...,"errorType":...,"error":...,"warnings":[...],"infos":[...],"data":...}.
type envelope struct {
	status   string
	errType  string
	errMsg   string
	warnings []string
	infos    []string
	sawData  bool
}

// decodeEnvelope reads one API answer from r, handing the value of "data" to readData (which must
// consume it). A body that broke off becomes *BodyError; a JSON syntax error at the end of the
// body means it was cut short, and says so.
func decodeEnvelope(r io.Reader, readData func(iter *jsoniter.Iterator) error) (*envelope, error) {
	src := &eofReader{r: r}
	env, err := decodeFields(src, readData)
	if src.err != nil {
		// The body broke off (connection reset, response size limit): that, not the JSON, is the cause.
		return nil, &BodyError{Err: src.err}
	}
	// The decoder asks for more only once it has used up what it has: a failure after the body
	// had nothing more to give is a cut, whichever part of the answer the decoder was in (a
	// sample, a label, the envelope). Say that, not what the cut left missing.
	var fe *FormatError
	if err != nil && src.n > 0 && src.drained && errors.As(err, &fe) {
		return nil, &FormatError{Message: prom.CutOffMessage(src.n), truncated: true}
	}
	return env, err
}

// iterators keeps decoders with their read buffers between answers: a small answer (an instant
// query of a few series) otherwise spends most of its time allocating and clearing the buffer.
var iterators = sync.Pool{New: func() any { return jsoniter.Parse(jsonAPI, nil, bufSize) }}

func decodeFields(r io.Reader, readData func(iter *jsoniter.Iterator) error) (env *envelope, err error) {
	iter := iterators.Get().(*jsoniter.Iterator)
	iter.Reset(r)
	env, err = decodeFieldsWith(iter, readData)
	if err == nil && iter.Error == nil {
		// Nothing decoded keeps a view of the buffer (strings are copied; values are parsed in place).
		// A decoder that failed may be left mid-way (capturing bytes, say) and is not reused.
		iter.Reset(nil)
		iterators.Put(iter)
	}
	return env, err
}

func decodeFieldsWith(iter *jsoniter.Iterator, readData func(iter *jsoniter.Iterator) error) (*envelope, error) {
	if iter.WhatIsNext() != jsoniter.ObjectValue {
		if iter.Error != nil && errors.Is(iter.Error, io.EOF) {
			return nil, &FormatError{Message: "Prometheus returned an empty body"}
		}
		return nil, &FormatError{Message: "the answer is not a JSON object, so it is not from the Prometheus API: check the data source URL"}
	}
	var env envelope
	for key := iter.ReadObject(); key != ""; key = iter.ReadObject() {
		switch key {
		case "status":
			env.status = iter.ReadString()
		case "errorType":
			env.errType = iter.ReadString()
		case "error":
			env.errMsg = iter.ReadString()
		case "warnings":
			env.warnings = readStrings(iter, env.warnings)
		case "infos":
			env.infos = readStrings(iter, env.infos)
		case "data":
			env.sawData = true
			if err := readData(iter); err != nil {
				return nil, err
			}
		default:
			iter.Skip()
		}
		if iter.Error != nil {
			return nil, readError(iter.Error)
		}
	}
	if iter.Error != nil {
		return nil, readError(iter.Error)
	}
	return &env, nil
}

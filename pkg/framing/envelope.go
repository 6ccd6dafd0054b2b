package framing

import (
	"errors"
	"io"

	jsoniter "github.com/json-iterator/go"
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
	var fe *FormatError
	if err != nil && errors.As(err, &fe) && fe.syntax && src.eof {
		return nil, &FormatError{Message: truncatedMessage}
	}
	return env, err
}

func decodeFields(r io.Reader, readData func(iter *jsoniter.Iterator) error) (*envelope, error) {
	iter := jsoniter.Parse(jsonAPI, r, bufSize)
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

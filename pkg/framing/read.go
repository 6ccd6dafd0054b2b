// Package framing turns Prometheus API JSON (query and query_range answers) into Grafana data
// frames. It streams: samples go from the JSON tokens straight into the frame's typed slices,
// with no decode into interface{} on the way.
package framing

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
	"unsafe"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	jsoniter "github.com/json-iterator/go"

	"github.com/pulse-monitoring/pulse/pkg/prom"
	"github.com/pulse-monitoring/pulse/pkg/redact"
)

// APIError is Prometheus' error envelope: {"status":"error","errorType":...,"error":...}.
type APIError struct {
	Type    string
	Message string
}

func (e *APIError) Error() string {
	if e.Type == "" {
		return e.Message
	}
	return e.Type + ": " + e.Message
}

// FormatError says the body is not a Prometheus API answer, or is broken.
type FormatError struct {
	Message   string
	truncated bool // the body ended before the answer did
}

func (e *FormatError) Error() string { return e.Message }

// Response is a decoded answer: frames plus Prometheus' warnings and infos.
type Response struct {
	Frames   data.Frames
	Warnings []string
	Infos    []string
}

const bufSize = 16 << 10

var jsonAPI = jsoniter.ConfigCompatibleWithStandardLibrary

// Read decodes one Prometheus API answer. An error envelope becomes *APIError; a body that is
// not an API answer, or is cut short, becomes *FormatError.
func Read(r io.Reader) (*Response, error) {
	var (
		res        Response
		nestedEnv  bool
		resultType string
	)
	env, err := decodeEnvelope(r, func(iter *jsoniter.Iterator) error {
		if iter.WhatIsNext() != jsoniter.ObjectValue {
			iter.Skip()
			return nil
		}
		frames, rt, nested, err := readData(iter)
		if err != nil {
			return err
		}
		res.Frames, resultType, nestedEnv = frames, rt, nested
		return nil
	})
	if err != nil {
		return nil, err
	}
	res.Warnings, res.Infos = env.warnings, env.infos
	switch env.status {
	case "success":
		if env.sawData && resultType == "" && !nestedEnv {
			return nil, &FormatError{Message: "Prometheus' answer has no resultType: the engine is not Prometheus-compatible"}
		}
		return &res, nil
	case "error":
		return &res, &APIError{Type: env.errType, Message: env.errMsg}
	case "":
		if nestedEnv {
			return nil, &FormatError{Message: "the Prometheus answer is wrapped in another JSON envelope (status is nested under data): a proxy or an application's response interceptor rewrites it; point the URL at Prometheus itself"}
		}
		return nil, &FormatError{Message: "the answer is JSON but not a Prometheus API response (no status field): check the data source URL"}
	default:
		return nil, &FormatError{Message: fmt.Sprintf("Prometheus answered with an unknown status %q", env.status)}
	}
}

// BodyError is a failure to read the body itself, not a problem with what it says.
type BodyError struct{ Err error }

func (e *BodyError) Error() string {
	return "reading the answer from Prometheus failed: " + e.Err.Error()
}
func (e *BodyError) Unwrap() error { return e.Err }

// eofReader remembers whether the body was read to its end, which tells a truncated body
// from a malformed one when the JSON breaks, how much of it arrived, and keeps any other read
// error.
type eofReader struct {
	r       io.Reader
	n       int64
	drained bool // a read found nothing more: the decoder had used up all the body gave
	err     error
}

func (e *eofReader) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	e.n += int64(n)
	switch {
	case err == io.EOF:
		e.drained = e.drained || n == 0
	case err != nil && e.err == nil:
		e.err = err
	}
	return n, err
}

func readError(err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return &FormatError{Message: prom.CutOffMessage(0), truncated: true} // decodeEnvelope adds the size
	}
	return &FormatError{Message: "the answer from Prometheus is not valid JSON: " + shortJSONError(err)}
}

// shortJSONError is the decoder's complaint without the excerpt of the body it quotes: that
// excerpt is the upstream's text (an echoed header, say) and tells a user nothing more.
func shortJSONError(err error) string {
	s, _, _ := strings.Cut(err.Error(), ", error found in #")
	if len(s) > 160 {
		s = s[:160] + "…"
	}
	return s
}

func readStrings(iter *jsoniter.Iterator, into []string) []string {
	if iter.WhatIsNext() != jsoniter.ArrayValue {
		iter.Skip()
		return into
	}
	for iter.ReadArray() {
		if iter.WhatIsNext() == jsoniter.StringValue {
			into = append(into, iter.ReadString())
		} else {
			iter.Skip()
		}
	}
	return into
}

// readData reads {"resultType":...,"result":...}. When result comes before resultType (legal
// JSON, seen from some engines), the result bytes are kept and read once the type is known.
// nested reports a "status" key inside data: an app envelope around a Prometheus answer.
func readData(iter *jsoniter.Iterator) (frames data.Frames, resultType string, nested bool, err error) {
	var pending []byte
	for key := iter.ReadObject(); key != ""; key = iter.ReadObject() {
		switch key {
		case "resultType":
			resultType = iter.ReadString()
		case "result":
			if resultType == "" {
				pending = append([]byte(nil), iter.SkipAndReturnBytes()...)
				continue
			}
			frames, err = readResult(iter, resultType)
			if err != nil {
				return nil, resultType, false, err
			}
		case "status":
			nested = true
			iter.Skip()
		default:
			iter.Skip()
		}
		if iter.Error != nil {
			return nil, resultType, nested, readError(iter.Error)
		}
	}
	if pending != nil {
		if resultType == "" {
			return nil, "", nested, &FormatError{Message: "Prometheus' answer has a result but no resultType"}
		}
		sub := jsonAPI.BorrowIterator(pending)
		frames, err = readResult(sub, resultType)
		jsonAPI.ReturnIterator(sub)
	}
	return frames, resultType, nested, err
}

func readResult(iter *jsoniter.Iterator, resultType string) (data.Frames, error) {
	switch resultType {
	case "matrix":
		return readSeriesList(iter, "values", data.FrameTypeTimeSeriesMulti)
	case "vector":
		return readSeriesList(iter, "value", data.FrameTypeNumericMulti)
	case "scalar":
		return readScalar(iter)
	case "string":
		return readString(iter)
	default:
		iter.Skip()
		return nil, &FormatError{Message: fmt.Sprintf("Prometheus returned an unknown result type %q", resultType)}
	}
}

// readSeriesList reads a matrix (samples under "values") or a vector (one sample under "value"),
// a frame of frameType per series. Native histogram samples ("histograms"/"histogram") are
// skipped here; the heatmap format reads classic buckets.
func readSeriesList(iter *jsoniter.Iterator, samplesKey string, frameType data.FrameType) (data.Frames, error) {
	var frames data.Frames
	if iter.WhatIsNext() != jsoniter.ArrayValue {
		iter.Skip()
		return nil, &FormatError{Message: "Prometheus' result is not a list of series"}
	}
	// Samples are gathered in scratch slices that every series of the answer reuses: the SDK's
	// NewField copies them into exactly sized vectors, so per-series slices would be garbage at
	// once (half of what a large answer allocates, and work for the collector). The scratch
	// outlives the answer in a pool: grown once, a small answer allocates nothing for it.
	sc := scratchPool.Get().(*scratch)
	defer scratchPool.Put(sc)
	times, values := sc.times[:0], sc.values[:0]
	defer func() { sc.times, sc.values = times[:0], values[:0] }()
	for iter.ReadArray() {
		var labels data.Labels
		times, values = times[:0], values[:0]
		for key := iter.ReadObject(); key != ""; key = iter.ReadObject() {
			switch key {
			case "metric":
				labels = readLabels(iter)
			case samplesKey:
				if samplesKey == "values" {
					for iter.ReadArray() {
						t, v, err := readSample(iter)
						if err != nil {
							return nil, err
						}
						times = append(times, t)
						values = append(values, v)
					}
				} else {
					t, v, err := readSample(iter)
					if err != nil {
						return nil, err
					}
					times, values = append(times, t), append(values, v)
				}
			default:
				iter.Skip()
			}
			if iter.Error != nil {
				return nil, readError(iter.Error)
			}
		}
		frames = append(frames, seriesFrame(labels, times, values, frameType))
	}
	if iter.Error != nil {
		return nil, readError(iter.Error)
	}
	return frames, nil
}

// scratch holds one series' samples while it is read.
type scratch struct {
	times  []time.Time
	values []float64
}

var scratchPool = sync.Pool{New: func() any { return &scratch{times: make([]time.Time, 0, 64), values: make([]float64, 0, 64)} }}

// seriesFrame builds one series' frame. data.NewField copies times and values, so the caller may
// reuse them.
//
// A range answer (matrix) is dataplane timeseries-multi: a time and a value field per frame. An
// instant answer (vector, scalar) is numeric-multi, one number per frame, as Grafana's own
// Prometheus data source types it: Grafana's server-side expressions then read each series as a
// number (a reduce is a no-op, a threshold applies directly) instead of a one-point time series.
// The time field stays, as the contract's "remainder data", for panels that show when the sample
// was taken.
func seriesFrame(labels data.Labels, times []time.Time, values []float64, frameType data.FrameType) *data.Frame {
	if times == nil {
		times, values = []time.Time{}, []float64{}
	}
	valueField := data.NewField(data.TimeSeriesValueFieldName, labels, values)
	frame := data.NewFrame("", data.NewField(data.TimeSeriesTimeFieldName, nil, times), valueField)
	frame.Meta = &data.FrameMeta{Type: frameType, TypeVersion: data.FrameTypeVersion{0, 1}}
	return frame
}

func readLabels(iter *jsoniter.Iterator) data.Labels {
	labels := data.Labels{}
	for k := iter.ReadObject(); k != ""; k = iter.ReadObject() {
		labels[validUTF8(k)] = validUTF8(iter.ReadString())
	}
	return labels
}

// validUTF8 replaces invalid bytes, which the decoder passes through from a JSON string as they
// are: Prometheus' labels are UTF-8, and Grafana reads a frame's labels as such.
func validUTF8(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}

// readSample reads [<unix seconds>, "<value>"]; "NaN", "+Inf" and "-Inf" are kept.
func readSample(iter *jsoniter.Iterator) (time.Time, float64, error) {
	if !iter.ReadArray() {
		return time.Time{}, 0, &FormatError{Message: "a Prometheus sample is empty"}
	}
	ts := iter.ReadFloat64()
	if !iter.ReadArray() {
		return time.Time{}, 0, &FormatError{Message: "a Prometheus sample has no value"}
	}
	// The value is parsed in place: ReadStringAsSlice does not allocate, and ParseFloat does not
	// keep its argument, so the unsafe view of the bytes never outlives them.
	rawBytes := iter.ReadStringAsSlice()
	v, ok := parseSimpleDecimal(rawBytes)
	var err error
	if !ok {
		raw := unsafe.String(unsafe.SliceData(rawBytes), len(rawBytes))
		v, err = strconv.ParseFloat(raw, 64)
	}
	raw := ""
	if err != nil {
		raw = string(rawBytes) // keep a copy for the message below; the slice is reused
	}
	for iter.ReadArray() {
		iter.Skip()
	}
	if iter.Error != nil {
		return time.Time{}, 0, readError(iter.Error)
	}
	if err != nil {
		var numErr *strconv.NumError
		if errors.As(err, &numErr) && errors.Is(numErr.Err, strconv.ErrRange) {
			// "1e309" overflows to ±Inf, which is what Prometheus means by it.
			return sampleAt(ts, v)
		}
		return time.Time{}, 0, &FormatError{Message: fmt.Sprintf("Prometheus sent a sample value %q that is not a number", redact.Clip(raw, 40))}
	}
	return sampleAt(ts, v)
}

func sampleAt(ts, v float64) (time.Time, float64, error) {
	t, err := toTime(ts, "a sample")
	return t, v, err
}

// pow10 holds the exactly representable powers of ten.
var pow10 = [...]float64{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15}

// parseSimpleDecimal parses the common sample form "-?digits(.digits)?" with at most 15
// significant digits, exactly: the digits form an integer below 2^53 and the division by an exact
// power of ten is correctly rounded (Clinger's fast path, as strconv uses). Anything else
// (exponents, NaN, Inf, long mantissas) returns false and goes to strconv.ParseFloat.
func parseSimpleDecimal(b []byte) (float64, bool) {
	if len(b) == 0 || len(b) > 17 {
		return 0, false
	}
	neg := false
	if b[0] == '-' {
		neg, b = true, b[1:]
		if len(b) == 0 {
			return 0, false
		}
	}
	var mant uint64
	digits, frac := 0, -1
	for i, c := range b {
		switch {
		case c >= '0' && c <= '9':
			mant = mant*10 + uint64(c-'0')
			digits++
			if frac >= 0 {
				frac++
			}
		case c == '.' && frac < 0 && i > 0 && i < len(b)-1:
			frac = 0
		default:
			return 0, false
		}
	}
	if digits > 15 {
		return 0, false
	}
	v := float64(mant)
	if frac > 0 {
		v /= pow10[frac]
	}
	if neg {
		v = -v
	}
	return v, true
}

// maxTimestamp is the last second a data frame can carry: frames hold times as int64
// nanoseconds since 1970, so anything later (a timestamp sent in nanoseconds, 1e18) would wrap
// around silently and draw the point in another century.
const maxTimestamp = math.MaxInt64 / int64(time.Second) // 2262-04-11T23:47:16Z

// toTime converts a Prometheus timestamp (unix seconds, millisecond precision). Outside 1970 to
// maxTimestamp it is an error, not a guess: nothing Prometheus stores from a scrape predates
// 1970, and NaN, Inf or an overflow would otherwise become 1970 without a word. what names the
// number in the message ("a sample", "an exemplar").
func toTime(sec float64, what string) (time.Time, error) {
	if !(sec >= 0 && sec <= float64(maxTimestamp)) { // also false for NaN
		return time.Time{}, &FormatError{Message: fmt.Sprintf(
			"Prometheus sent %s timestamp %s that is not a valid time: Pulse reads unix seconds from 0 (1970-01-01) to %d (2262-04-11); check what the engine, or a proxy in front of it, puts in the answer",
			what, strconv.FormatFloat(sec, 'g', 12, 64), maxTimestamp)}
	}
	return time.UnixMilli(int64(math.Round(sec * 1000))).UTC(), nil
}

func readScalar(iter *jsoniter.Iterator) (data.Frames, error) {
	t, v, err := readSample(iter)
	if err != nil {
		return nil, err
	}
	return data.Frames{seriesFrame(nil, []time.Time{t}, []float64{v}, data.FrameTypeNumericMulti)}, nil
}

func readString(iter *jsoniter.Iterator) (data.Frames, error) {
	if !iter.ReadArray() {
		return nil, &FormatError{Message: "a Prometheus string result is empty"}
	}
	t, err := toTime(iter.ReadFloat64(), "a string result")
	if err != nil {
		return nil, err
	}
	if !iter.ReadArray() {
		return nil, &FormatError{Message: "a Prometheus string result has no value"}
	}
	s := validUTF8(iter.ReadString())
	for iter.ReadArray() {
		iter.Skip()
	}
	frame := data.NewFrame("", data.NewField(data.TimeSeriesTimeFieldName, nil, []time.Time{t}), data.NewField(data.TimeSeriesValueFieldName, nil, []string{s}))
	return data.Frames{frame}, nil
}

package framing

import (
	"errors"
	"io"
	"math"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/pulse-monitoring/pulse/pkg/prom"
)

const matrixBody = `{"status":"success","data":{"resultType":"matrix","result":[
 {"metric":{"__name__":"up","job":"node","instance":"a:9100"},"values":[[1740338424.615,"1"],[1740338439.615,"NaN"],[1740338454.615,"+Inf"],[1740338469.615,"-Inf"]]},
 {"metric":{"__name__":"up","job":"prometheus"},"values":[[1740338424.615,"0"]]}]}}`

func TestReadMatrix(t *testing.T) {
	// One byte at a time: the decoder must not depend on how the body arrives.
	res, err := Read(iotest.OneByteReader(strings.NewReader(matrixBody)))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Frames) != 2 {
		t.Fatalf("%d frames, want 2", len(res.Frames))
	}
	f := res.Frames[0]
	if f.Meta.Type != data.FrameTypeTimeSeriesMulti {
		t.Errorf("type %s", f.Meta.Type)
	}
	if got := f.Fields[1].Labels; got["job"] != "node" || got["instance"] != "a:9100" || got["__name__"] != "up" {
		t.Errorf("labels %v", got)
	}
	if f.Rows() != 4 {
		t.Fatalf("%d rows", f.Rows())
	}
	ts := f.Fields[0].At(0).(interface{ UnixMilli() int64 }).UnixMilli()
	if ts != 1740338424615 {
		t.Errorf("timestamp %d, want millisecond precision", ts)
	}
	v := func(i int) float64 { return f.Fields[1].At(i).(float64) }
	if v(0) != 1 || !math.IsNaN(v(1)) || !math.IsInf(v(2), 1) || !math.IsInf(v(3), -1) {
		t.Errorf("values %v %v %v %v: NaN and ±Inf must be kept", v(0), v(1), v(2), v(3))
	}
}

// The series of one answer are decoded through shared scratch slices: each frame must keep its
// own samples, whatever the lengths of the series decoded after it.
func TestReadSeriesKeepTheirOwnSamples(t *testing.T) {
	for _, kind := range []struct{ resultType, key, sample string }{
		{"matrix", "values", `[[%d,"%d"],[%d,"%d"]]`},
		{"vector", "value", `[%d,"%d"]`},
	} {
		t.Run(kind.resultType, func(t *testing.T) {
			var series []string
			for i := 1; i <= 3; i++ {
				samples := strings.NewReplacer("%d", strconv.Itoa(i)).Replace(kind.sample)
				series = append(series, `{"metric":{"s":"`+strconv.Itoa(i)+`"},"`+kind.key+`":`+samples+`}`)
			}
			// An empty series in the middle must not inherit the samples before it.
			series = append(series[:2], `{"metric":{"s":"empty"},"`+kind.key+`s_absent":[]}`, series[2])
			body := `{"status":"success","data":{"resultType":"` + kind.resultType + `","result":[` + strings.Join(series, ",") + `]}}`
			res, err := Read(strings.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			want := []float64{1, 2, -1, 3} // -1: no samples
			for i, f := range res.Frames {
				if want[i] < 0 {
					if f.Rows() != 0 {
						t.Errorf("frame %d (%v) has %d rows, want none", i, f.Fields[1].Labels, f.Rows())
					}
					continue
				}
				for r := 0; r < f.Rows(); r++ {
					if got := f.Fields[1].At(r).(float64); got != want[i] {
						t.Errorf("frame %d (%v) row %d: %v, want %v", i, f.Fields[1].Labels, r, got, want[i])
					}
					if got := f.Fields[0].At(r).(interface{ Unix() int64 }).Unix(); got != int64(want[i]) {
						t.Errorf("frame %d row %d: time %d, want %v", i, r, got, want[i])
					}
				}
			}
		})
	}
}

func TestReadResultTypes(t *testing.T) {
	tests := []struct {
		name, body string
		frames     int
		rows       int
		frameType  data.FrameType // dataplane: a range answer is time series, an instant one numbers
	}{
		{"vector", `{"status":"success","data":{"resultType":"vector","result":[{"metric":{"job":"a"},"value":[1700000000,"3"]},{"metric":{"job":"b"},"value":[1700000000,"4"]}]}}`, 2, 1, data.FrameTypeNumericMulti},
		{"scalar", `{"status":"success","data":{"resultType":"scalar","result":[1700000000,"42"]}}`, 1, 1, data.FrameTypeNumericMulti},
		{"string", `{"status":"success","data":{"resultType":"string","result":[1700000000,"hello"]}}`, 1, 1, ""},
		{"empty matrix", `{"status":"success","data":{"resultType":"matrix","result":[]}}`, 0, 0, ""},
		{"result before resultType", `{"status":"success","data":{"result":[{"metric":{},"values":[[1,"1"],[2,"2"]]}],"resultType":"matrix"}}`, 1, 2, data.FrameTypeTimeSeriesMulti},
		{"status last, unknown keys skipped", `{"data":{"resultType":"vector","result":[{"metric":{},"value":[1,"1"]}],"stats":{"timings":{}}},"extra":[1,{"a":2}],"status":"success"}`, 1, 1, data.FrameTypeNumericMulti},
		{"1e309 overflows to +Inf", `{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"1e309"]}]}}`, 1, 1, data.FrameTypeNumericMulti},
		{"native histogram samples do not crash", `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"h"},"histograms":[[1,{"count":"2","sum":"1","buckets":[[0,"0.1","0.2","2"]]}]]}]}}`, 1, 0, data.FrameTypeTimeSeriesMulti},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Read(strings.NewReader(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Frames) != tc.frames {
				t.Fatalf("%d frames, want %d", len(res.Frames), tc.frames)
			}
			if tc.frames > 0 && res.Frames[0].Rows() != tc.rows {
				t.Fatalf("%d rows, want %d", res.Frames[0].Rows(), tc.rows)
			}
			for _, f := range res.Frames {
				var got data.FrameType
				if f.Meta != nil {
					got = f.Meta.Type
				}
				if got != tc.frameType {
					t.Errorf("frame type %q, want %q", got, tc.frameType)
				}
			}
		})
	}
}

func TestReadWarningsAndInfos(t *testing.T) {
	res, err := Read(strings.NewReader(`{"status":"success","warnings":["partial response: store b unavailable"],"infos":["metric might not be a counter"],"data":{"resultType":"vector","result":[]}}`))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Warnings) != 1 || len(res.Infos) != 1 || !strings.Contains(res.Warnings[0], "partial") {
		t.Fatalf("warnings %v infos %v", res.Warnings, res.Infos)
	}
}

func TestReadErrors(t *testing.T) {
	tests := []struct {
		name, body string
		api        bool // *APIError, else *FormatError
		contains   string
	}{
		{"prometheus error envelope", `{"status":"error","errorType":"bad_data","error":"1:14: parse error: unclosed left parenthesis"}`, true, "unclosed left parenthesis"},
		{"mimir limit", `{"status":"error","errorType":"execution","error":"expanding series: the query exceeded the maximum number of series (limit: 3 series) (err-mimir-max-series-per-query)."}`, true, "err-mimir-max-series-per-query"},
		{"truncated", `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"job":"a"},"values":[[1,"1"],[2,`, false, "cut off after 103 bytes"},
		{"empty body", ``, false, "empty body"},
		{"html login page", `<!doctype html><html><body>Sign in</body></html>`, false, "not a JSON object"},
		{"app envelope", `{"code":0,"data":{"status":"success","data":{"resultType":"vector","result":[]}}}`, false, "wrapped in another JSON envelope"},
		{"json without status", `{"hello":"world"}`, false, "no status field"},
		{"not a number", `{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"abc"]}]}}`, false, "not a number"},
		{"empty string value", `{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,""]}]}}`, false, "not a number"},
		{"unknown result type", `{"status":"success","data":{"resultType":"tensor","result":[]}}`, false, "unknown result type"},
		{"missing result type", `{"status":"success","data":{"result":[]}}`, false, "no resultType"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Read(strings.NewReader(tc.body))
			if err == nil {
				t.Fatal("no error")
			}
			var apiErr *APIError
			var fmtErr *FormatError
			if tc.api && !errors.As(err, &apiErr) {
				t.Fatalf("got %T %v, want *APIError", err, err)
			}
			if !tc.api && !errors.As(err, &fmtErr) {
				t.Fatalf("got %T %v, want *FormatError", err, err)
			}
			if !strings.Contains(err.Error(), tc.contains) {
				t.Fatalf("error %q does not contain %q", err, tc.contains)
			}
		})
	}
}

// parseSimpleDecimal must agree with strconv.ParseFloat bit for bit wherever it answers.
func TestParseSimpleDecimalMatchesStrconv(t *testing.T) {
	cases := []string{"0", "-0", "1", "5608.51", "0.1", "0.3", "123456789012345", "1234567890.12345", "-0.000000000000001",
		"9007199254740993", "1e3", "NaN", "+Inf", "", ".5", "5.", "1.2.3", "--1", "12a", "0.000001", "999999999999999"}
	r := uint64(1)
	for i := 0; i < 20000; i++ {
		r = r*6364136223846793005 + 1442695040888963407
		intPart := strconv.FormatUint(r%1e9, 10)
		fracPart := strconv.FormatUint((r>>32)%1e6, 10)
		cases = append(cases, intPart+"."+fracPart, "-"+intPart, fracPart)
	}
	for _, c := range cases {
		got, ok := parseSimpleDecimal([]byte(c))
		want, err := strconv.ParseFloat(c, 64)
		if !ok {
			continue
		}
		if err != nil || math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("parseSimpleDecimal(%q) = %v, strconv says %v (%v)", c, got, want, err)
		}
	}
	for _, c := range []string{"1e3", "NaN", "+Inf", "", ".5", "5.", "9007199254740993"} {
		if _, ok := parseSimpleDecimal([]byte(c)); ok {
			t.Errorf("%q took the fast path", c)
		}
	}
}

// Decoders are pooled between answers: each answer must read only its own bytes, whatever the
// answer before it was (longer, cut short, broken), and the frames of one must not change when the
// next is read into the same buffer.
func TestReadReusesDecodersCleanly(t *testing.T) {
	long := matrixBody
	short := `{"status":"success","data":{"resultType":"vector","result":[{"metric":{"job":"x"},"value":[1740338424,"7"]}]}}`
	late := `{"status":"success","data":{"result":[{"metric":{"job":"late"},"value":[1740338424,"8"]}],"resultType":"vector"}}`
	for i, c := range []struct {
		body    string
		frames  int
		broken  bool
		firstJb string
	}{
		{body: long, frames: 2, firstJb: "node"},
		{body: short, frames: 1, firstJb: "x"},
		{body: late[:60], broken: true},
		{body: late, frames: 1, firstJb: "late"},
		{body: `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"job":"y"},"values":[[1,"1"],[2,`, broken: true},
		{body: short, frames: 1, firstJb: "x"},
	} {
		res, err := Read(strings.NewReader(c.body))
		if c.broken {
			if err == nil {
				t.Fatalf("answer %d: a cut body decoded", i)
			}
			continue
		}
		if err != nil {
			t.Fatalf("answer %d: %v", i, err)
		}
		if len(res.Frames) != c.frames || res.Frames[0].Fields[1].Labels["job"] != c.firstJb {
			t.Fatalf("answer %d: %d frames, first job %q; want %d, %q", i, len(res.Frames), res.Frames[0].Fields[1].Labels["job"], c.frames, c.firstJb)
		}
		if i == 0 {
			defer func(f *data.Frame) {
				if f.Fields[1].Labels["job"] != "node" || f.Fields[0].Len() != 4 {
					t.Errorf("the first answer's frame changed after later answers: %v", f.Fields[1].Labels)
				}
			}(res.Frames[0])
		}
	}
}

// However the body is cut — in a sample, a label, the envelope — and however it arrives, the
// error says the answer was cut off and after how many bytes, never what the cut left missing
// ("sample has no value").
func TestEveryCutSaysCutOff(t *testing.T) {
	readers := map[string]func(string) io.Reader{
		"whole":       func(s string) io.Reader { return strings.NewReader(s) },
		"eof at once": func(s string) io.Reader { return iotest.DataErrReader(strings.NewReader(s)) },
		"byte a read": func(s string) io.Reader { return iotest.OneByteReader(strings.NewReader(s)) },
	}
	for name, mk := range readers {
		for n := 1; n < len(matrixBody); n++ {
			_, err := Read(mk(matrixBody[:n]))
			want := prom.CutOffMessage(int64(n))
			var fe *FormatError
			if !errors.As(err, &fe) || fe.Message != want {
				t.Fatalf("%s, cut at byte %d (%q): %v, want %q", name, n, matrixBody[max(0, n-12):n], err, want)
			}
		}
	}
}

// A timestamp outside what a frame can hold is a broken answer, never a point drawn in 1970:
// 1e18 is a timestamp sent in nanoseconds, and int64 arithmetic would wrap it silently.
func TestReadRefusesTimestampsThatAreNotTimes(t *testing.T) {
	vector := func(ts string) string {
		return `{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[` + ts + `,"1"]}]}}`
	}
	tests := []struct {
		name, body string
		ok         bool
	}{
		{"nanoseconds", vector("1e18"), false},
		{"milliseconds beyond 2262", vector("1740338424615"), false},
		{"one past the last frame second", vector(strconv.FormatInt(maxTimestamp+1, 10)), false},
		{"negative", vector("-1"), false},
		{"matrix sample", `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1,"1"],[1e18,"2"]]}]}}`, false},
		{"scalar", `{"status":"success","data":{"resultType":"scalar","result":[1e18,"1"]}}`, false},
		{"string", `{"status":"success","data":{"resultType":"string","result":[-5,"x"]}}`, false},
		{"epoch", vector("0"), true},
		{"the last frame second", vector(strconv.FormatInt(maxTimestamp, 10)), true},
		{"now, milliseconds", vector("1740338424.615"), true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Read(strings.NewReader(tc.body))
			if tc.ok {
				if err != nil {
					t.Fatal(err)
				}
				got := res.Frames[0].Fields[0].At(0).(time.Time)
				if ns := got.UnixNano(); ns/int64(time.Millisecond) != got.UnixMilli() {
					t.Fatalf("%v does not survive the frame's nanoseconds (%d)", got, ns)
				}
				return
			}
			var fe *FormatError
			if !errors.As(err, &fe) || !strings.Contains(err.Error(), "timestamp") || !strings.Contains(err.Error(), "not a valid time") {
				t.Fatalf("got %v (%T), want a FormatError about the timestamp", err, err)
			}
		})
	}
}

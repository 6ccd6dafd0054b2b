package framing

import (
	"errors"
	"io"
	"math"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/data"
	"github.com/pulse-monitoring/pulse/pkg/prom"
)

func TestToHeatmapSortsAndDeaccumulates(t *testing.T) {
	body := `{"status":"success","data":{"resultType":"matrix","result":[
	 {"metric":{"le":"+Inf","controller":"A"},"values":[[1,"10"],[2,"20"]]},
	 {"metric":{"le":"0.1","controller":"A"},"values":[[1,"4"],[2,"5"]]},
	 {"metric":{"le":"0.025","controller":"A"},"values":[[1,"1"],[2,"5"]]},
	 {"metric":{"le":"1","controller":"A"},"values":[[1,"9"],[2,"19"]]},
	 {"metric":{"le":"0.1","controller":"B"},"values":[[1,"2"]]},
	 {"metric":{"le":"+Inf","controller":"B"},"values":[[1,"3"]]},
	 {"metric":{"job":"no-le"},"values":[[1,"7"]]}]}}`
	res, err := Read(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	frames := ToHeatmap(res.Frames)
	if len(frames) != 3 {
		t.Fatalf("%d frames, want 2 heatmaps and the series without le", len(frames))
	}
	a := frames[1]
	if frames[0].Fields[1].Labels["job"] != "no-le" {
		a = frames[0]
	}
	if a.Meta.Type != "heatmap-rows" {
		t.Fatalf("type %s", a.Meta.Type)
	}
	var names []string
	for _, f := range a.Fields[1:] {
		names = append(names, f.Name)
	}
	if strings.Join(names, ",") != "0.025,0.1,1,+Inf" {
		t.Fatalf("buckets %v, want sorted by le", names)
	}
	want := [][]float64{{1, 3, 5, 1}, {5, 0, 14, 1}}
	for row := 0; row < 2; row++ {
		for b := 0; b < 4; b++ {
			if got := a.Fields[b+1].At(row).(float64); got != want[row][b] {
				t.Errorf("row %d bucket %s = %v, want %v", row, names[b], got, want[row][b])
			}
		}
	}
}

func TestLegend(t *testing.T) {
	labels := data.Labels{"__name__": "http_requests_total", "controller": "Orders", "method": "GET"}
	tests := []struct{ format, want string }{
		{"", `http_requests_total{controller="Orders", method="GET"}`},
		{"{{controller}} {{ method }}", "Orders GET"},
		{"{{missing}}x", "x"},
		{"__auto", ""},
	}
	for _, tc := range tests {
		if got := legendName(labels, tc.format, "expr"); got != tc.want {
			t.Errorf("legend %q = %q, want %q", tc.format, got, tc.want)
		}
	}
	if got := legendName(data.Labels{}, "", "sum(up)"); got != "sum(up)" {
		t.Errorf("no labels: %q", got)
	}
}

func TestToTableRange(t *testing.T) {
	res, _ := Read(strings.NewReader(matrixBody))
	table := ToTable(res.Frames, "B", false)
	if table.Rows() != 5 || table.Fields[len(table.Fields)-1].Name != "Value #B" || table.Fields[1].Name != "__name__" {
		t.Fatalf("table %v rows, fields %v", table.Rows(), table.Fields)
	}
	// The same labels repeat over time: dataplane timeseries-long, its rows in time order.
	if table.Meta.Type != data.FrameTypeTimeSeriesLong {
		t.Errorf("type %s, want timeseries-long", table.Meta.Type)
	}
	for r := 1; r < table.Rows(); r++ {
		if table.Fields[0].At(r).(time.Time).Before(table.Fields[0].At(r - 1).(time.Time)) {
			t.Fatalf("row %d is earlier than row %d", r, r-1)
		}
	}
	if table.Fields[0].At(0).(time.Time).UnixMilli() != 1740338424615 {
		t.Error("time lost")
	}
	// At the first timestamp both series, in answer order; then node's NaN.
	job := table.Fields[3]
	value := table.Fields[len(table.Fields)-1]
	if job.Name != "job" || job.At(0) != "node" || job.At(1) != "prometheus" || value.At(1).(float64) != 0 {
		t.Errorf("first timestamp: %v=%v, %v", job.Name, []any{job.At(0), job.At(1)}, value.At(1))
	}
	if v := value.At(2).(float64); !math.IsNaN(v) {
		t.Errorf("NaN lost: %v", v)
	}
}

// An instant table is numeric-long: a row per series, the labels' columns identify each number.
func TestToTableInstant(t *testing.T) {
	res, err := Read(strings.NewReader(`{"status":"success","data":{"resultType":"vector","result":[{"metric":{"job":"a"},"value":[1700000000,"3"]},{"metric":{"job":"b","instance":"x"},"value":[1700000000,"NaN"]}]}}`))
	if err != nil {
		t.Fatal(err)
	}
	table := ToTable(res.Frames, "A", true)
	if table.Meta.Type != data.FrameTypeNumericLong || table.Rows() != 2 {
		t.Fatalf("type %s, %d rows", table.Meta.Type, table.Rows())
	}
	var names []string
	for _, f := range table.Fields {
		names = append(names, f.Name)
	}
	if strings.Join(names, ",") != "Time,instance,job,Value #A" {
		t.Errorf("fields %v", names)
	}
	if table.Fields[2].At(1) != "b" || table.Fields[1].At(0) != "" || !math.IsNaN(table.Fields[3].At(1).(float64)) {
		t.Errorf("rows %v", table)
	}
}

func TestReadExemplars(t *testing.T) {
	frame, err := ReadExemplars(strings.NewReader(`{"status":"success","data":[{"seriesLabels":{"__name__":"h_bucket","job":"api"},"exemplars":[{"labels":{"trace_id":"abc"},"value":"0.25","timestamp":1700000001.5},{"labels":{"trace_id":"def"},"value":"1","timestamp":1700000000}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	if frame.Name != "exemplar" || frame.Rows() != 2 {
		t.Fatalf("%s %d", frame.Name, frame.Rows())
	}
	if v := frame.Fields[1].At(0).(float64); v != 1 {
		t.Errorf("exemplars not sorted by time: first value %v", v)
	}
	var trace *data.Field
	for _, f := range frame.Fields {
		if f.Name == "trace_id" {
			trace = f
		}
	}
	if trace == nil || trace.At(1).(string) != "abc" {
		t.Fatalf("trace_id column missing: %v", frame.Fields)
	}
	if _, err := ReadExemplars(strings.NewReader(`{"status":"error","errorType":"bad_data","error":"x"}`)); err == nil {
		t.Fatal("error envelope accepted")
	}
}

// Exemplars share the query answers' envelope handling: a cut body and a broken connection say so.
func TestReadExemplarsBrokenBodies(t *testing.T) {
	const body = `{"status":"success","data":[{"seriesLabels":{"job":"api"},"exemplars":[{"labels":{"trace_id":"abc"},"value":"0.25",`
	_, err := ReadExemplars(strings.NewReader(body))
	var fe *FormatError
	if !errors.As(err, &fe) || fe.Message != prom.CutOffMessage(int64(len(body))) {
		t.Fatalf("truncated exemplars: %v", err)
	}
	reset := errors.New("connection reset by peer")
	_, err = ReadExemplars(io.MultiReader(strings.NewReader(body), iotest.ErrReader(reset)))
	var be *BodyError
	if !errors.As(err, &be) || !errors.Is(err, reset) {
		t.Fatalf("broken exemplars body: %v", err)
	}
}

func TestReadExemplarsRefusesTimestampsThatAreNotTimes(t *testing.T) {
	for _, ts := range []string{"1e18", "-1", "1e12"} {
		t.Run(ts, func(t *testing.T) {
			_, err := ReadExemplars(strings.NewReader(`{"status":"success","data":[{"seriesLabels":{"job":"api"},"exemplars":[{"labels":{"trace_id":"abc"},"value":"1","timestamp":` + ts + `}]}]}`))
			var fe *FormatError
			if !errors.As(err, &fe) || !strings.Contains(err.Error(), "Prometheus sent an exemplar timestamp") {
				t.Fatalf("got %v, want a FormatError about the exemplar timestamp", err)
			}
		})
	}
}

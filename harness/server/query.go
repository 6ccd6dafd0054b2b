package main

// POST /api/ds/query: Grafana's request body translated to the backend's QueryDataRequest.

import (
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
)

// queryRequest is the body of POST /api/ds/query (the part the harness reads).
type queryRequest struct {
	Queries []json.RawMessage `json:"queries"`
	From    string            `json:"from"`
	To      string            `json:"to"`
}

func (s *server) query(w http.ResponseWriter, r *http.Request) {
	var in queryRequest
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"message": "bad request data: " + err.Error()})
		return
	}
	s.state.mu.Lock()
	ds := s.state.ds
	settings := ds.instanceSettings()
	s.state.mu.Unlock()

	queries, err := dataQueries(in, ds.UID, time.Now())
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"message": err.Error()})
		return
	}
	res, err := s.plugin.QueryData(r.Context(), settings, queries)
	if err != nil {
		log.Printf("harness: QueryData failed: %v", err)
		writeJSON(w, http.StatusInternalServerError, map[string]any{"message": "Query data error", "error": err.Error()})
		return
	}
	status := http.StatusOK
	for _, dr := range res.Responses {
		if dr.Error != nil {
			status = http.StatusBadRequest // Grafana's default (without the multi-status feature toggle)
		}
	}
	writeJSON(w, status, res)
}

// dataQueries translates the request into the backend's queries as Grafana does: one DataQuery per query with
// its refId (default "A"), queryType, interval (intervalMs, default 1 s), maxDataPoints (default 100; both
// integers), the request's time range
// and the query's JSON as sent. A query for another data source than dsUID is refused (the harness serves one).
// The error's text is the message of the 400 answer.
func dataQueries(in queryRequest, dsUID string, now time.Time) ([]backend.DataQuery, error) {
	if len(in.Queries) == 0 {
		return nil, errors.New("No queries found")
	}
	from, err := parseGrafanaTime(in.From, now, 6*time.Hour)
	if err != nil {
		return nil, fmt.Errorf("bad from: %w", err)
	}
	to, err := parseGrafanaTime(in.To, now, 0)
	if err != nil {
		return nil, fmt.Errorf("bad to: %w", err)
	}
	queries := make([]backend.DataQuery, 0, len(in.Queries))
	for _, raw := range in.Queries {
		var q struct {
			RefID      string `json:"refId"`
			QueryType  string `json:"queryType"`
			Datasource *struct {
				UID  string `json:"uid"`
				Type string `json:"type"`
			} `json:"datasource"`
			// Integers, as Grafana's query service reads them: 1.5 is refused, not rounded.
			IntervalMs    int64 `json:"intervalMs"`
			MaxDataPoints int64 `json:"maxDataPoints"`
		}
		if err := json.Unmarshal(raw, &q); err != nil {
			return nil, fmt.Errorf("bad query: %w", err)
		}
		if q.Datasource != nil && q.Datasource.UID != "" && q.Datasource.UID != dsUID {
			log.Printf("harness: /api/ds/query for data source %q (%s), which the harness does not serve", q.Datasource.UID, q.Datasource.Type)
			return nil, fmt.Errorf("harness: data source %q is not served (only %q)", q.Datasource.UID, dsUID)
		}
		// Grafana's defaults when the request leaves them out.
		if q.IntervalMs == 0 {
			q.IntervalMs = 1000
		}
		if q.MaxDataPoints == 0 {
			q.MaxDataPoints = 100
		}
		if q.RefID == "" {
			q.RefID = "A"
		}
		queries = append(queries, backend.DataQuery{
			RefID: q.RefID, QueryType: q.QueryType, MaxDataPoints: q.MaxDataPoints,
			Interval: time.Duration(q.IntervalMs) * time.Millisecond, TimeRange: backend.TimeRange{From: from, To: to},
			JSON: raw,
		})
	}
	return queries, nil
}

// parseGrafanaTime reads /api/ds/query's from/to: epoch milliseconds, "now" or "now-<n><unit>".
func parseGrafanaTime(v string, now time.Time, defaultAgo time.Duration) (time.Time, error) {
	if v == "" {
		return now.Add(-defaultAgo), nil
	}
	if ms, err := strconv.ParseInt(v, 10, 64); err == nil {
		return time.UnixMilli(ms), nil
	}
	if v == "now" {
		return now, nil
	}
	if strings.HasPrefix(v, "now-") {
		spec := v[4:]
		if len(spec) < 2 {
			return time.Time{}, fmt.Errorf("cannot read %q", v)
		}
		n, err := strconv.Atoi(spec[:len(spec)-1])
		if err != nil {
			return time.Time{}, fmt.Errorf("cannot read %q", v)
		}
		unit := map[byte]time.Duration{'s': time.Second, 'm': time.Minute, 'h': time.Hour, 'd': 24 * time.Hour, 'w': 7 * 24 * time.Hour}[spec[len(spec)-1]]
		if unit == 0 {
			return time.Time{}, fmt.Errorf("cannot read unit of %q", v)
		}
		return now.Add(-time.Duration(n) * unit), nil
	}
	return time.Time{}, fmt.Errorf("cannot read %q", v)
}

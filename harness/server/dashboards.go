package main

// Dashboards as Grafana's dashboard API keeps them, as far as the pages' "Add to dashboard" uses it: create
// (POST /api/dashboards/db, dashboards:create) and read (GET /api/dashboards/uid/<uid>), kept in memory.
// GET /harness/dashboards lists what was stored, for the specs.

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"sync"
)

type dashboardStore struct {
	mu     sync.Mutex
	byUID  map[string]map[string]any
	nextID int
}

func (d *dashboardStore) routes(s *server, mux, pages *http.ServeMux) {
	d.byUID = map[string]map[string]any{}
	mux.HandleFunc("POST /api/dashboards/db", s.require("dashboards:create", func(w http.ResponseWriter, r *http.Request) {
		d.save(s, w, r)
	}))
	mux.HandleFunc("GET /api/dashboards/uid/{uid}", d.get)
	pages.HandleFunc("GET /harness/dashboards", func(w http.ResponseWriter, r *http.Request) {
		d.mu.Lock()
		defer d.mu.Unlock()
		list := make([]map[string]any, 0, len(d.byUID))
		for _, dash := range d.byUID {
			list = append(list, dash)
		}
		writeJSON(w, http.StatusOK, map[string]any{"dashboards": list})
	})
}

var notSlug = regexp.MustCompile(`[^a-z0-9]+`)

func (d *dashboardStore) save(s *server, w http.ResponseWriter, r *http.Request) {
	var body struct {
		Dashboard map[string]any `json:"dashboard"`
		FolderUID string         `json:"folderUid"`
		Overwrite bool           `json:"overwrite"`
	}
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 4<<20)).Decode(&body); err != nil || body.Dashboard == nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"message": "bad request data"})
		return
	}
	title, _ := body.Dashboard["title"].(string)
	if strings.TrimSpace(title) == "" {
		writeJSON(w, http.StatusBadRequest, map[string]any{"message": "Dashboard title cannot be empty", "status": "empty-name"})
		return
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	uid, _ := body.Dashboard["uid"].(string)
	for existing, dash := range d.byUID {
		if dash["title"] == title && existing != uid && !body.Overwrite {
			writeJSON(w, http.StatusPreconditionFailed, map[string]any{
				"message": "A dashboard with the same name in the folder already exists", "status": "name-exists",
			})
			return
		}
	}
	if uid == "" {
		var b [7]byte
		_, _ = rand.Read(b[:])
		uid = hex.EncodeToString(b[:])
	}
	d.nextID++
	body.Dashboard["uid"], body.Dashboard["id"], body.Dashboard["version"] = uid, d.nextID, 1
	d.byUID[uid] = body.Dashboard
	slug := strings.Trim(notSlug.ReplaceAllString(strings.ToLower(title), "-"), "-")
	writeJSON(w, http.StatusOK, map[string]any{
		"id": d.nextID, "uid": uid, "slug": slug, "status": "success", "version": 1,
		// Grafana's answer carries the sub-path it is served under.
		"url": s.subPath + "/d/" + uid + "/" + slug,
	})
}

func (d *dashboardStore) get(w http.ResponseWriter, r *http.Request) {
	d.mu.Lock()
	defer d.mu.Unlock()
	dash, ok := d.byUID[r.PathValue("uid")]
	if !ok {
		writeJSON(w, http.StatusNotFound, map[string]any{"message": "Dashboard not found"})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"dashboard": dash, "meta": map[string]any{"canSave": true, "provisioned": false}})
}

package main

// Settings (from provisioning/, kept in memory; PUT/POST change them for the life of the process).

import (
	"encoding/json"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/grafana/grafana-plugin-sdk-go/backend"
	"go.yaml.in/yaml/v3"
)

type dataSource struct {
	ID              int64             `json:"id"`
	UID             string            `json:"uid"`
	Name            string            `json:"name"`
	Type            string            `json:"type"`
	Access          string            `json:"access"`
	URL             string            `json:"url"`
	User            string            `json:"user"`
	Database        string            `json:"database"`
	BasicAuth       bool              `json:"basicAuth"`
	BasicAuthUser   string            `json:"basicAuthUser"`
	WithCredentials bool              `json:"withCredentials"`
	IsDefault       bool              `json:"isDefault"`
	JSONData        map[string]any    `json:"jsonData"`
	SecureJSONData  map[string]string `json:"-"`
	ReadOnly        bool              `json:"readOnly"`
	Version         int               `json:"version"`
	Updated         time.Time         `json:"-"`
}

type pluginSettings struct {
	ID             string
	Dir            string // folder of its plugin.json in dist/
	Meta           map[string]any
	Enabled        bool
	Pinned         bool
	JSONData       map[string]any
	SecureJSONData map[string]string
}

type state struct {
	mu      sync.Mutex
	ds      *dataSource
	plugins map[string]*pluginSettings
}

func loadState(dist, prov, promURL string) (*state, error) {
	var dsFile struct {
		Datasources []struct {
			Name           string            `yaml:"name"`
			UID            string            `yaml:"uid"`
			Type           string            `yaml:"type"`
			Access         string            `yaml:"access"`
			URL            string            `yaml:"url"`
			User           string            `yaml:"user"`
			Database       string            `yaml:"database"`
			BasicAuth      bool              `yaml:"basicAuth"`
			BasicAuthUser  string            `yaml:"basicAuthUser"`
			IsDefault      bool              `yaml:"isDefault"`
			Editable       bool              `yaml:"editable"`
			JSONData       map[string]any    `yaml:"jsonData"`
			SecureJSONData map[string]string `yaml:"secureJsonData"`
		} `yaml:"datasources"`
	}
	if err := readYAML(filepath.Join(prov, "datasources", "pulse.yaml"), &dsFile); err != nil {
		return nil, err
	}
	st := &state{plugins: map[string]*pluginSettings{}}
	for i, d := range dsFile.Datasources {
		if d.Type != dsPluginID {
			continue
		}
		st.ds = &dataSource{
			ID: int64(i + 1), UID: d.UID, Name: d.Name, Type: d.Type, Access: d.Access, URL: d.URL, User: d.User,
			Database: d.Database, BasicAuth: d.BasicAuth, BasicAuthUser: d.BasicAuthUser, IsDefault: d.IsDefault,
			JSONData: orEmpty(d.JSONData), SecureJSONData: map[string]string{}, ReadOnly: !d.Editable, Version: 1,
			Updated: time.Now(),
		}
		for k, v := range d.SecureJSONData {
			st.ds.SecureJSONData[k] = os.ExpandEnv(v)
		}
	}
	if st.ds == nil {
		return nil, fmt.Errorf("%s/datasources/pulse.yaml provisions no %s data source", prov, dsPluginID)
	}
	if promURL != "" {
		st.ds.URL = promURL
	}

	var appFile struct {
		Apps []struct {
			Type           string            `yaml:"type"`
			Disabled       bool              `yaml:"disabled"`
			JSONData       map[string]any    `yaml:"jsonData"`
			SecureJSONData map[string]string `yaml:"secureJsonData"`
		} `yaml:"apps"`
	}
	if err := readYAML(filepath.Join(prov, "plugins", "app.yaml"), &appFile); err != nil {
		return nil, err
	}
	for id, dir := range map[string]string{appPluginID: dist, dsPluginID: filepath.Join(dist, "datasource")} {
		meta, err := readPluginJSON(dir)
		if err != nil {
			return nil, err
		}
		st.plugins[id] = &pluginSettings{ID: id, Dir: dir, Meta: meta, Enabled: true, JSONData: map[string]any{}, SecureJSONData: map[string]string{}}
	}
	for _, a := range appFile.Apps {
		if p := st.plugins[a.Type]; p != nil {
			p.Enabled = !a.Disabled
			p.JSONData = orEmpty(a.JSONData)
			for k, v := range a.SecureJSONData {
				p.SecureJSONData[k] = os.ExpandEnv(v)
			}
		}
	}
	return st, nil
}

func readYAML(path string, into any) error {
	raw, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	if err := yaml.Unmarshal(raw, into); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

func readPluginJSON(dir string) (map[string]any, error) {
	raw, err := os.ReadFile(filepath.Join(dir, "plugin.json"))
	if err != nil {
		return nil, fmt.Errorf("no built plugin in %s (run npm run build): %w", dir, err)
	}
	var meta map[string]any
	if err := json.Unmarshal(raw, &meta); err != nil {
		return nil, fmt.Errorf("%s/plugin.json: %w", dir, err)
	}
	return meta, nil
}

func orEmpty(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}

// instanceSettings is what the plugin receives: secureJsonData decrypted (here: as provisioned/saved).
func (d *dataSource) instanceSettings() *backend.DataSourceInstanceSettings {
	jd, _ := json.Marshal(d.JSONData)
	sec := map[string]string{}
	for k, v := range d.SecureJSONData {
		sec[k] = v
	}
	return &backend.DataSourceInstanceSettings{
		ID: d.ID, UID: d.UID, Type: d.Type, Name: d.Name, URL: d.URL, User: d.User, Database: d.Database,
		BasicAuthEnabled: d.BasicAuth, BasicAuthUser: d.BasicAuthUser, JSONData: jd,
		DecryptedSecureJSONData: sec, Updated: d.Updated,
	}
}

// dto is what the browser receives: secureJsonFields only, never secureJsonData.
func (d *dataSource) dto(typeLogoURL string) map[string]any {
	raw, _ := json.Marshal(d)
	var out map[string]any
	_ = json.Unmarshal(raw, &out)
	out["orgId"] = 1
	out["typeName"] = "Pulse Prometheus"
	out["typeLogoUrl"] = typeLogoURL
	out["secureJsonFields"] = secureFields(d.SecureJSONData)
	return out
}

func secureFields(m map[string]string) map[string]bool {
	out := map[string]bool{}
	for k, v := range m {
		if v != "" {
			out[k] = true
		}
	}
	return out
}

// pluginBase is where Grafana serves a plugin's files from (its baseUrl; module.js, logos and translations below
// it): public/plugins/<id>, and for a plugin nested in another's folder the parent's base URL and the folder
// below it (public/plugins/pulse-monitoring-app/datasource), as Grafana's plugin asset paths give it.
func (s *server) pluginBase(p *pluginSettings) string {
	for _, parent := range s.state.plugins {
		if parent == p {
			continue
		}
		if rel, err := filepath.Rel(parent.Dir, p.Dir); err == nil && rel != "." && !strings.HasPrefix(rel, "..") {
			return path.Join("public/plugins", parent.ID, filepath.ToSlash(rel))
		}
	}
	return "public/plugins/" + p.ID
}

// typeLogoURL is the data source type's logo as data source DTOs carry it.
func (s *server) typeLogoURL() string {
	return s.pluginBase(s.state.plugins[dsPluginID]) + "/img/logo.svg"
}

// pluginMeta is Grafana's PluginMeta / PluginSetting DTO for a plugin in dist/.
func (s *server) pluginMeta(p *pluginSettings) map[string]any {
	base := s.pluginBase(p)
	out := map[string]any{}
	raw, _ := json.Marshal(p.Meta) // a deep copy: the logos below are rewritten
	_ = json.Unmarshal(raw, &out)
	info, _ := out["info"].(map[string]any)
	if info != nil {
		if logos, ok := info["logos"].(map[string]any); ok {
			fixed := map[string]any{}
			for k, v := range logos {
				fixed[k] = base + "/" + fmt.Sprint(v)
			}
			info["logos"] = fixed
		}
	}
	translations := map[string]string{}
	if langs, ok := p.Meta["languages"].([]any); ok {
		for _, l := range langs {
			lang := fmt.Sprint(l)
			translations[lang] = base + "/locales/" + lang + "/" + p.ID + ".json"
		}
	}
	out["enabled"] = p.Enabled
	out["pinned"] = p.Pinned
	out["module"] = base + "/module.js"
	out["baseUrl"] = base
	out["jsonData"] = p.JSONData
	out["secureJsonFields"] = secureFields(p.SecureJSONData)
	out["translations"] = translations
	out["signature"] = "internal"
	out["loadingStrategy"] = "script"
	out["angularDetected"] = false
	out["hasUpdate"] = false
	// Grafana joins the sub-path in (path.Join(AppSubURL, DefaultNavURL)).
	out["defaultNavUrl"] = path.Join("/", s.subPath, "a", appPluginID) + "/"
	if p.ID == appPluginID {
		out["defaultNavUrl"] = path.Join("/", s.subPath, "a", appPluginID, "overview")
	}
	return out
}

package main

// The signed-in user: an org Admin by default, or a Viewer (--role Viewer), with the permissions Grafana's basic
// roles give in OSS, in the boot data (user.permissions, what contextSrv.hasPermission reads) and enforced on the
// writes the plugin can reach: what Grafana's access control middleware refuses, the harness refuses too, with
// Grafana's answer (403, "Access denied").

import (
	"fmt"
	"log"
	"net/http"
	"sort"
	"strings"
)

type role string

const (
	roleAdmin  role = "Admin"
	roleViewer role = "Viewer"
)

func parseRole(s string) (role, error) {
	switch strings.ToLower(s) {
	case "", "admin":
		return roleAdmin, nil
	case "viewer":
		return roleViewer, nil
	}
	return "", fmt.Errorf("unknown role %q (Admin or Viewer)", s)
}

// viewerPermissions are the actions Grafana OSS grants the Viewer basic role through its fixed roles
// (fixed:datasources:reader is granted to Viewer when data source permissions are not enforced, as in OSS;
// fixed:datasources:explorer only to Editor unless viewers_can_edit; fixed:alerting:reader; fixed:plugins.app:reader).
var viewerPermissions = []string{
	"alert.instances:read", "alert.notifications:read", "alert.rules:read", "alert.silences:read",
	"annotations:create", "annotations:delete", "annotations:read", "annotations:write",
	"dashboards:read", "datasources.id:read", "datasources:query", "datasources:read", "folders:read",
	"library.panels:read", "orgs.quotas:read", "orgs:read", "plugins.app:access", "snapshots:read",
}

// adminPermissions adds what an org Admin has on top (Editor's and Admin's fixed roles), as far as the plugin and
// the pages around it can ask.
var adminPermissions = append(append([]string{}, viewerPermissions...),
	"alert.instances:create", "alert.instances:write", "alert.notifications:write", "alert.provisioning:read",
	"alert.provisioning:write", "alert.rules:create", "alert.rules:delete", "alert.rules:write",
	"alert.silences:create", "alert.silences:write", "dashboards:create", "dashboards:delete", "dashboards:write",
	"datasources:create", "datasources:delete", "datasources:explore", "datasources:write", "folders:create",
	"folders:delete", "folders:write", "library.panels:create", "library.panels:write", "org.users:read",
	"plugins:install", "plugins:write", "teams:read", "users:read",
)

func (r role) permissions() []string {
	if r == roleViewer {
		return viewerPermissions
	}
	return adminPermissions
}

func (r role) can(action string) bool {
	for _, p := range r.permissions() {
		if p == action {
			return true
		}
	}
	return false
}

// permissionMap is the boot data's user.permissions: action -> true, as Grafana's BuildPermissionsMap sends it.
func (r role) permissionMap() map[string]bool {
	perms := append([]string{}, r.permissions()...)
	sort.Strings(perms)
	out := make(map[string]bool, len(perms))
	for _, p := range perms {
		out[p] = true
	}
	return out
}

// user is the boot data's user for the role.
func (r role) user(theme, lang string) map[string]any {
	login := "admin"
	if r == roleViewer {
		login = "viewer"
	}
	return map[string]any{
		"id": 1, "uid": login, "login": login, "name": login, "email": login + "@localhost", "isSignedIn": true,
		"isGrafanaAdmin": r == roleAdmin, "orgId": 1, "orgName": "Main Org.", "orgRole": string(r), "theme": theme,
		"lightTheme": theme == "light", "language": lang, "regionalFormat": lang, "timezone": "browser",
		"weekStart": "browser", "permissions": r.permissionMap(), "helpFlags1": 0,
		"hasEditPermissionInFolders": r == roleAdmin,
	}
}

// denied answers as Grafana's access control middleware does when the user lacks a permission.
func denied(w http.ResponseWriter, action string) {
	writeJSON(w, http.StatusForbidden, map[string]any{
		"accessErrorId": "ACE0000000000",
		"message":       "You'll need additional permissions to perform this action. Permissions needed: " + action,
		"title":         "Access denied",
	})
}

// require wraps a handler with the permission Grafana's route for it requires.
func (s *server) require(action string, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !s.role.can(action) {
			logDenied(r, action)
			denied(w, action)
			return
		}
		h(w, r)
	}
}

// alertRuleWrite guards the alert-rule writes the harness does not serve (single-rule provisioning, the ruler):
// for a user allowed to write rules the request goes on to the unknown-API handler (404, listed); a Viewer is
// refused first, as Grafana's middleware refuses before the handler runs. alerting.go serves the rest.
func (s *server) alertRuleWrite(w http.ResponseWriter, r *http.Request) {
	action := map[string]string{
		http.MethodPost: "alert.rules:create", http.MethodPut: "alert.rules:write",
		http.MethodPatch: "alert.rules:write", http.MethodDelete: "alert.rules:delete",
	}[r.Method]
	if action != "" && !s.role.can(action) {
		logDenied(r, action)
		denied(w, action)
		return
	}
	s.unknownAPI(w, r)
}

func logDenied(r *http.Request, action string) {
	log.Printf("harness: %s %s → 403 (the user lacks %s)", r.Method, r.URL.Path, action)
}

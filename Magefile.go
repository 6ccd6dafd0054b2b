//go:build mage
// +build mage

package main

import (
	"github.com/magefile/mage/mg"

	// mage:import
	build "github.com/grafana/grafana-plugin-sdk-go/build"
)

// Default is what a plain `mage` runs.
var Default = Dist

// Dist builds the backend for the platforms Pulse is tested on and shipped for:
// linux/amd64 and linux/arm64 (dist/datasource/gpx_pulse_prometheus_linux_<arch>).
// `mage buildAll` (from the SDK) builds every platform the SDK knows.
func Dist() {
	b := build.Build{}
	mg.Deps(b.Linux, b.LinuxARM64)
}

// Package profiles defines load workload profiles: users, their devices and
// what each device does, loaded from YAML and validated, with shipped presets.
package profiles

package scenarios

import (
	"context"
	"crypto/tls"
	"testing"

	"github.com/imapgauge/imapgauge/conformance"
	"github.com/imapgauge/imapgauge/conformance/fault"
	referenceserver "github.com/imapgauge/imapgauge/reference-server"
	"github.com/imapgauge/imapgauge/reports"
)

// TestNegativeControls shows that no case passes vacuously: every case
// lists at least one fault, and with each fault applied by a proxy in
// front of the reference server the case must FAIL (a MUST) or WARN (a
// SHOULD or MAY). The proxy terminates TLS itself, so STARTTLS cases see
// the fault too.
func TestNegativeControls(t *testing.T) {
	cases := allCases(t)
	var upstream *referenceserver.Server
	env := startServer(t, referenceserver.Options{}, func(srv *referenceserver.Server) string {
		upstream = srv
		return plainURL(srv)
	})
	controls := 0
	for i := range cases {
		c := &cases[i]
		if len(c.Faults) == 0 {
			t.Errorf("%s has no negative control: list a fault that makes it fail", c.ID())
			continue
		}
		want := reports.Fail
		if c.Level != conformance.Must {
			want = reports.Warn
		}
		for _, f := range c.Faults {
			controls++
			t.Run(c.ID()+"/"+f.Name, func(t *testing.T) {
				t.Parallel()
				rc := runWithFault(t, env, upstream, c, f)
				if rc.Outcome != want {
					t.Errorf("with the fault %q the case is %s, want %s:\n%s", f.Name, rc.Outcome, want, describe(rc))
				}
			})
		}
	}
	t.Logf("%d cases, %d negative controls", len(cases), controls)
}

// runWithFault runs c against a fault proxy in front of upstream. The
// profile stays the upstream's: the fault is for the case to find.
func runWithFault(t *testing.T, env *conformance.Env, upstream *referenceserver.Server, c *conformance.Case, f fault.Fault) reports.Case {
	t.Helper()
	p, err := fault.Listen(fault.Options{
		Upstream:          upstream.Addr(),
		UpstreamTLSConfig: &tls.Config{RootCAs: upstream.CertPool(), ServerName: "127.0.0.1"},
		Fault:             f,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.Close() })
	target, err := conformance.ParseTarget("imap://" + p.Addr())
	if err != nil {
		t.Fatal(err)
	}
	target.RootCAs = p.CertPool()
	faulty := *env
	faulty.Target = target
	return conformance.RunCase(context.Background(), &faulty, c)
}

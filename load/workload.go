package load

import (
	"fmt"
	"math"
	"strings"
	"time"
)

// DeviceKind names a kind of simulated device. Each kind has its own loop.
type DeviceKind string

// The device kinds.
const (
	// Desktop holds IDLE on INBOX (NOOP polling without IDLE), sweeps the
	// other folders periodically and renews IDLE before 29 minutes
	// (RFC 2177 section 3).
	Desktop DeviceKind = "desktop"
	// Laptop keeps a session, polls with CONDSTORE (RFC 7162) when the
	// server has it or with a full flag fetch when not, and sleeps and wakes:
	// its connection drops and it resynchronises from its cache on waking.
	Laptop DeviceKind = "laptop"
	// Phone either opens a short session every few minutes and resynchronises
	// from its cache (mode "fetch"), or holds IDLE on a connection the mobile
	// network drops often (mode "push").
	Phone DeviceKind = "phone"
	// Webmail opens short stateless sessions that read the newest page of
	// INBOX.
	Webmail DeviceKind = "webmail"
)

// DeviceKinds lists the kinds in a stable order.
var DeviceKinds = []DeviceKind{Desktop, Laptop, Phone, Webmail}

// Phone modes.
const (
	PhoneFetch = "fetch"
	PhonePush  = "push"
)

// ActionKind names what a user does on one of their devices.
type ActionKind string

// The user actions.
const (
	// Read fetches a message's body and sets \Seen.
	Read ActionKind = "read"
	// Flag toggles \Flagged.
	Flag ActionKind = "flag"
	// Delete sets \Deleted and expunges.
	Delete ActionKind = "delete"
	// Move moves a message to Archive or Trash (MOVE, or COPY + \Deleted +
	// EXPUNGE without it).
	Move ActionKind = "move"
	// Reply appends the reply to Sent and sets \Answered on the original.
	Reply ActionKind = "reply"
)

// ActionKinds lists the actions in a stable order.
var ActionKinds = []ActionKind{Read, Flag, Delete, Move, Reply}

// Workload is a load profile in its Go form: who the users are, which devices
// they own, what each device does and how mail arrives. Intervals and rates are
// in profile time; TimeScale compresses them into real time (a TimeScale of 60
// runs "every 15 minutes" every 15 seconds). Durations of the run itself
// (Duration, RampUp, Checks.NotifyWithin, Checks.ExpungeGrace) are real time.
type Workload struct {
	Name        string
	Description string
	// Source is the profile file, or "preset".
	Source string
	// Definition is the YAML the workload was read from.
	Definition string

	// Users is the default number of users (--users overrides it).
	Users int
	// Duration and RampUp are the defaults of --duration and --ramp-up.
	Duration time.Duration
	RampUp   time.Duration
	// TimeScale divides every profile interval (1 = real time).
	TimeScale float64

	Mailbox  MailboxSpec
	Delivery DeliverySpec
	Actions  ActionSpec
	Devices  []DeviceSpec
	Checks   CheckSpec
}

// MailboxSpec is the mail each user starts with and the folders actions use.
type MailboxSpec struct {
	// InitialMessages are delivered to INBOX before the devices connect.
	InitialMessages int
	Archive         string
	Trash           string
	Sent            string
}

// DeliverySpec is the arrival of new mail: a Poisson process per user, sizes
// drawn from a log-normal distribution.
type DeliverySpec struct {
	PerUserPerHour float64
	// SizeMedian and SizeSigma shape the log-normal size distribution
	// (median e^mu, sigma of the underlying normal); sizes are clamped to
	// [SizeMin, SizeMax].
	SizeMedian int64
	SizeSigma  float64
	SizeMin    int64
	SizeMax    int64
	// AttachmentShare is the share of messages above 32 KiB that carry a
	// base64 attachment (smaller ones are plain text or text + HTML).
	AttachmentShare float64
}

// ActionSpec is what users do: a Poisson process per user, each action done
// on one device chosen by the devices' ActionWeight.
type ActionSpec struct {
	PerUserPerHour float64
	// Mix weighs the action kinds; a missing kind has weight 0.
	Mix map[ActionKind]float64
	// ThinkMin and ThinkMax bound the pause (profile time) between reading
	// a message and acting on it.
	ThinkMin time.Duration
	ThinkMax time.Duration
}

// DeviceSpec describes one kind of device the users own.
type DeviceSpec struct {
	Kind DeviceKind
	// Share is the share of users who own this device (0 to 1], chosen
	// deterministically from the user index; Count is how many of them each
	// such user owns.
	Share float64
	Count int
	// ActionWeight is the weight with which user actions happen on this
	// device.
	ActionWeight float64
	// Jitter spreads each interval uniformly by +-Jitter (0 to 0.9).
	Jitter float64

	// PollEvery: laptop polls; desktop and push phone poll with NOOP at this
	// interval when the server has no IDLE.
	PollEvery time.Duration
	// SweepEvery: desktop folder sweep.
	SweepEvery time.Duration
	// IdleRenew: desktop and push phone end and restart IDLE at this
	// interval (at most 29 minutes of real time, RFC 2177 section 3).
	IdleRenew time.Duration
	// SleepEvery and SleepFor: a laptop sleeps for SleepFor about every
	// SleepEvery.
	SleepEvery time.Duration
	SleepFor   time.Duration
	// Mode: phone "fetch" or "push".
	Mode string
	// SessionEvery: fetch phone and webmail session interval.
	SessionEvery time.Duration
	// ReconnectEvery: push phone connection drops.
	ReconnectEvery time.Duration
	// PageSize: messages a webmail session lists.
	PageSize int
}

// CheckSpec tunes the correctness checks.
type CheckSpec struct {
	// NotifyWithin bounds (real time) how long after a delivery an idling
	// session must be told of it by an EXISTS response.
	NotifyWithin time.Duration
	// ExpungeGrace (real time) is how long a server may keep an expunge
	// unannounced to a session that stays selected.
	ExpungeGrace time.Duration
	// CheckpointEvery (profile time): all devices of a user resynchronise and
	// must agree.
	CheckpointEvery time.Duration
}

// maxIdle is the longest IDLE a device holds: RFC 2177 section 3 lets a server
// drop an IDLE client after 30 minutes of inactivity.
const maxIdle = 29 * time.Minute

// FieldError is a validation error about one field of a workload; Path names
// it in the profile's YAML terms ("devices[1].poll_every").
type FieldError struct {
	Path    string
	Message string
}

func (e *FieldError) Error() string { return e.Path + ": " + e.Message }

// Validate checks the workload and returns every problem found, each as a
// *FieldError, or nil.
func (w *Workload) Validate() []error {
	var errs []error
	bad := func(path, format string, args ...any) {
		errs = append(errs, &FieldError{Path: path, Message: fmt.Sprintf(format, args...)})
	}
	if strings.TrimSpace(w.Name) == "" {
		bad("name", "a profile needs a name")
	}
	if w.Users < 1 || w.Users > 1_000_000 {
		bad("users", "must be 1 to 1000000, got %d", w.Users)
	}
	if w.Duration <= 0 {
		bad("duration", "must be positive")
	}
	if w.RampUp < 0 {
		bad("ramp_up", "must not be negative")
	}
	if !(w.TimeScale >= 1 && w.TimeScale <= 3600) {
		bad("time_scale", "must be 1 to 3600, got %g", w.TimeScale)
	}
	if w.Mailbox.InitialMessages < 0 || w.Mailbox.InitialMessages > 10000 {
		bad("mailbox.initial_messages", "must be 0 to 10000")
	}
	for path, name := range map[string]string{"mailbox.archive": w.Mailbox.Archive, "mailbox.trash": w.Mailbox.Trash, "mailbox.sent": w.Mailbox.Sent} {
		if name == "" || strings.EqualFold(name, "INBOX") || strings.ContainsAny(name, "%*\"\\\r\n") {
			bad(path, "must be a plain folder name other than INBOX, got %q", name)
		}
	}
	d := w.Delivery
	if d.PerUserPerHour < 0 || math.IsNaN(d.PerUserPerHour) || d.PerUserPerHour > 100000 {
		bad("delivery.per_user_per_hour", "must be 0 to 100000")
	}
	if d.SizeMin < 256 {
		bad("delivery.size.min", "must be at least 256 bytes")
	}
	if d.SizeMax < d.SizeMin || d.SizeMax > 64<<20 {
		bad("delivery.size.max", "must be between size.min and 64MiB")
	}
	if d.SizeMedian < d.SizeMin || d.SizeMedian > d.SizeMax {
		bad("delivery.size.median", "must be between size.min and size.max")
	}
	if d.SizeSigma < 0 || d.SizeSigma > 4 || math.IsNaN(d.SizeSigma) {
		bad("delivery.size.sigma", "must be 0 to 4")
	}
	if d.AttachmentShare < 0 || d.AttachmentShare > 1 {
		bad("delivery.size.attachment_share", "must be 0 to 1")
	}
	a := w.Actions
	if a.PerUserPerHour < 0 || math.IsNaN(a.PerUserPerHour) || a.PerUserPerHour > 100000 {
		bad("actions.per_user_per_hour", "must be 0 to 100000")
	}
	total := 0.0
	for k, v := range a.Mix {
		known := false
		for _, kk := range ActionKinds {
			known = known || k == kk
		}
		if !known {
			bad("actions.mix."+string(k), "unknown action (want read, flag, delete, move, reply)")
		}
		if v < 0 || math.IsNaN(v) {
			bad("actions.mix."+string(k), "weight must not be negative")
		}
		total += v
	}
	if a.PerUserPerHour > 0 && total <= 0 {
		bad("actions.mix", "at least one action needs a positive weight")
	}
	if a.ThinkMin < 0 || a.ThinkMax < a.ThinkMin {
		bad("actions.think_time", "need 0 <= min <= max")
	}
	if len(w.Devices) == 0 {
		bad("devices", "a profile needs at least one device")
	}
	weight := 0.0
	for i, dv := range w.Devices {
		p := fmt.Sprintf("devices[%d]", i)
		if dv.Share <= 0 || dv.Share > 1 {
			bad(p+".share", "must be in (0, 1]")
		}
		if dv.Count < 1 || dv.Count > 8 {
			bad(p+".count", "must be 1 to 8")
		}
		if dv.ActionWeight < 0 {
			bad(p+".action_weight", "must not be negative")
		}
		weight += dv.ActionWeight
		if dv.Jitter < 0 || dv.Jitter > 0.9 {
			bad(p+".jitter", "must be 0 to 0.9")
		}
		need := func(field string, v time.Duration) {
			if v <= 0 {
				bad(p+"."+field, "must be a positive duration for a %s", dv.Kind)
			}
		}
		switch dv.Kind {
		case Desktop:
			need("poll_every", dv.PollEvery)
			need("sweep_every", dv.SweepEvery)
			need("idle_renew", dv.IdleRenew)
		case Laptop:
			need("poll_every", dv.PollEvery)
			need("sleep_every", dv.SleepEvery)
			need("sleep_for", dv.SleepFor)
			if dv.SleepFor >= dv.SleepEvery && dv.SleepEvery > 0 {
				bad(p+".sleep_for", "must be shorter than sleep_every")
			}
		case Phone:
			switch dv.Mode {
			case PhoneFetch:
				need("session_every", dv.SessionEvery)
			case PhonePush:
				need("reconnect_every", dv.ReconnectEvery)
				need("idle_renew", dv.IdleRenew)
				need("poll_every", dv.PollEvery)
			default:
				bad(p+".mode", "must be fetch or push, got %q", dv.Mode)
			}
		case Webmail:
			need("session_every", dv.SessionEvery)
			if dv.PageSize < 1 || dv.PageSize > 1000 {
				bad(p+".page_size", "must be 1 to 1000")
			}
		default:
			bad(p+".kind", "unknown device kind %q (want desktop, laptop, phone, webmail)", dv.Kind)
		}
	}
	if a.PerUserPerHour > 0 && weight <= 0 && len(w.Devices) > 0 {
		bad("devices", "actions need at least one device with a positive action_weight")
	}
	c := w.Checks
	if c.NotifyWithin <= 0 {
		bad("checks.notify_within", "must be positive")
	}
	if c.ExpungeGrace < 0 {
		bad("checks.expunge_grace", "must not be negative")
	}
	if c.CheckpointEvery < 0 {
		bad("checks.checkpoint_every", "must not be negative (0 turns checkpoints off)")
	}
	return errs
}

// real converts a profile-time duration into real time.
func (w *Workload) real(d time.Duration) time.Duration {
	if w.TimeScale <= 0 {
		return d
	}
	return time.Duration(float64(d) / w.TimeScale)
}

// perSecond converts a per-hour profile rate into a per-second real rate.
func (w *Workload) perSecond(perHour float64) float64 {
	return perHour / 3600 * w.TimeScale
}

// go-peer: the Go program of the peer benchmarks (bench/peers/PROTOCOL.md is the contract).
// It drives one workload through gocql (front "gocql") or gocqlx (front "gocqlx") and prints
// one JSON line with throughput, latency, CPU and memory figures.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/gocql/gocql"
)

// errUnsupported marks a front/workload/in-flight combination this program does not offer
// (exit status 3).
var errUnsupported = errors.New("unsupported")

func main() {
	if len(os.Args) < 2 || os.Args[1] != "run" {
		if len(os.Args) >= 2 && os.Args[1] == "setup" {
			fmt.Fprintln(os.Stderr, "go-peer: setup is done by coodie_peer only")
			os.Exit(3)
		}
		fmt.Fprintln(os.Stderr, "usage: go-peer run --front gocql|gocqlx --workload W --inflight N --seconds S [--warmup S]")
		os.Exit(2)
	}
	fs := flag.NewFlagSet("run", flag.ExitOnError)
	front := fs.String("front", "", "gocql or gocqlx")
	workload := fs.String("workload", "", "workload name (PROTOCOL.md)")
	inflight := fs.Int("inflight", 1, "operations in flight")
	seconds := fs.Float64("seconds", 0, "measured seconds")
	warmup := fs.Float64("warmup", 0.5, "unmeasured warm-up seconds")
	_ = fs.Parse(os.Args[2:]) // ExitOnError: exits with status 2 on bad flags
	if *front == "" || *workload == "" || *inflight < 1 || *seconds <= 0 || *warmup < 0 {
		fmt.Fprintln(os.Stderr, "go-peer: --front, --workload, --inflight >= 1 and --seconds > 0 are required")
		os.Exit(2)
	}

	res, err := run(*front, *workload, *inflight, *seconds, *warmup)
	if errors.Is(err, errUnsupported) {
		fmt.Fprintln(os.Stderr, "go-peer:", err)
		os.Exit(3)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "go-peer:", err)
		os.Exit(1)
	}
	fmt.Println(res.json())
}

// run checks the combination, connects, and measures one workload.
func run(front, workload string, inflight int, seconds, warmup float64) (*result, error) {
	if err := offers(front, workload, inflight); err != nil {
		return nil, err
	}
	session, err := connect()
	if err != nil {
		return nil, err
	}
	defer session.Close()

	res := &result{Program: "go", Library: libraryName(front), Front: front, Workload: workload, Inflight: inflight}
	warmupDur := time.Duration(warmup * float64(time.Second))
	if workload == "iterate" {
		return res, measureIterate(res, session, front, warmupDur)
	}
	measureLoop(res, newOp(session, front, workload), inflight, warmupDur, time.Duration(seconds*float64(time.Second)))
	return res, nil
}

// connect opens a session with the protocol's settings: COODIE_HOSTS, port 9042, plain-text
// authentication when COODIE_USERNAME is set, LOCAL_ONE and SERIAL for every statement. Every
// other setting keeps gocql's default (page size 5000, two connections per host, ...).
func connect() (*gocql.Session, error) {
	hosts := os.Getenv("COODIE_HOSTS")
	if hosts == "" {
		hosts = "127.0.0.1"
	}
	var contactPoints []string
	for h := range strings.SplitSeq(hosts, ",") {
		if h = strings.TrimSpace(h); h != "" {
			contactPoints = append(contactPoints, h)
		}
	}
	cluster := gocql.NewCluster(contactPoints...)
	cluster.Port = 9042
	cluster.Keyspace = "coodie_peers"
	cluster.Consistency = gocql.LocalOne // gocql's default is QUORUM
	cluster.SerialConsistency = gocql.Serial
	if user := os.Getenv("COODIE_USERNAME"); user != "" {
		cluster.Authenticator = gocql.PasswordAuthenticator{Username: user, Password: os.Getenv("COODIE_PASSWORD")}
	}
	return cluster.CreateSession()
}

// libraryName names the libraries as built into this binary, e.g.
// "gocqlx 3.0.4 (scylladb/gocql 1.15.3)".
func libraryName(front string) string {
	versions := map[string]string{}
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, dep := range info.Deps {
			if dep.Replace != nil {
				dep = dep.Replace
			}
			versions[dep.Path] = strings.TrimPrefix(dep.Version, "v")
		}
	}
	// gocql comes from ScyllaDB's fork (see go.mod); name it as such.
	driver := "scylladb/gocql " + versions["github.com/scylladb/gocql"]
	if front == "gocqlx" {
		return fmt.Sprintf("gocqlx %s (%s)", versions["github.com/scylladb/gocqlx/v3"], driver)
	}
	return driver
}

// Measurement phases shared by the workers and the timer.
const (
	phaseWarmup int32 = iota
	phaseMeasure
	phaseStop
)

// workerStats is what one worker saw during the measured window.
type workerStats struct {
	latencies []time.Duration
	errors    int64
}

// measureLoop keeps inflight operations running (one goroutine each, issuing the next
// operation when the previous one returned) through the warm-up and the measured window. An
// operation belongs to the window when it completes inside it; the CPU and wall time are taken
// exactly at the window's edges.
func measureLoop(res *result, op opFunc, inflight int, warmup, measured time.Duration) {
	var phase atomic.Int32
	var seq atomic.Int64 // n, the operation's sequence number within the run
	var firstErr sync.Once
	stats := make([]workerStats, inflight)
	var wg sync.WaitGroup
	for w := range stats {
		wg.Go(func() {
			st := &stats[w]
			for phase.Load() != phaseStop {
				start := time.Now()
				err := op(seq.Add(1) - 1)
				elapsed := time.Since(start)
				if phase.Load() != phaseMeasure {
					continue
				}
				if err != nil {
					st.errors++
					firstErr.Do(func() { fmt.Fprintln(os.Stderr, "go-peer: first error:", err) })
					continue
				}
				st.latencies = append(st.latencies, elapsed)
			}
		})
	}

	time.Sleep(warmup)
	res.RSSStartKiB = rssKiB()
	cpuStart, _ := cpuAndMaxRSS()
	wallStart := time.Now()
	phase.Store(phaseMeasure)
	time.Sleep(measured)
	phase.Store(phaseStop)
	wall := time.Since(wallStart)
	cpuEnd, maxRSS := cpuAndMaxRSS()
	wg.Wait()

	var all []time.Duration
	for i := range stats {
		all = append(all, stats[i].latencies...)
		res.Errors += stats[i].errors
	}
	res.finish(all, wall, cpuEnd-cpuStart, maxRSS)
}

// cpuAndMaxRSS returns the process's user + system CPU time and ru_maxrss (KiB on Linux).
func cpuAndMaxRSS() (time.Duration, int64) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		panic(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), ru.Maxrss
}

// rssKiB returns the resident set now: /proc/self/statm's second field times the page size.
func rssKiB() int64 {
	data, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		panic(err)
	}
	var size, resident int64
	if _, err := fmt.Sscan(string(data), &size, &resident); err != nil {
		panic(err)
	}
	return resident * int64(os.Getpagesize()) / 1024
}

// result is the JSON line; the field order is the protocol's.
type result struct {
	Program     string  `json:"program"`
	Library     string  `json:"library"`
	Front       string  `json:"front"`
	Workload    string  `json:"workload"`
	Inflight    int     `json:"inflight"`
	Ops         int64   `json:"ops"`
	Errors      int64   `json:"errors"`
	WallS       float64 `json:"wall_s"`
	OpsPerS     float64 `json:"ops_per_s"`
	P50Us       float64 `json:"p50_us"`
	P99Us       float64 `json:"p99_us"`
	CPUUsPerOp  float64 `json:"cpu_us_per_op"`
	RSSStartKiB int64   `json:"rss_start_kib"`
	RSSPeakKiB  int64   `json:"rss_peak_kib"`
}

// finish fills the figures from the measured operations' latencies.
func (r *result) finish(latencies []time.Duration, wall, cpu time.Duration, maxRSS int64) {
	slices.Sort(latencies)
	r.Ops = int64(len(latencies))
	r.WallS = round(wall.Seconds(), 3)
	r.OpsPerS = round(float64(r.Ops)/wall.Seconds(), 1)
	r.P50Us = round(percentile(latencies, 50), 1)
	r.P99Us = round(percentile(latencies, 99), 1)
	if r.Ops > 0 {
		r.CPUUsPerOp = round(float64(cpu.Microseconds())/float64(r.Ops), 3)
	}
	r.RSSPeakKiB = maxRSS
}

// percentile is the nearest-rank percentile of sorted latencies, in microseconds.
func percentile(sorted []time.Duration, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	return float64(sorted[max(rank, 1)-1].Nanoseconds()) / 1e3
}

func round(x float64, decimals int) float64 {
	scale := math.Pow(10, float64(decimals))
	return math.Round(x*scale) / scale
}

// json renders the result as the protocol's one line.
func (r *result) json() string {
	line, err := json.Marshal(r)
	if err != nil {
		panic(err)
	}
	return string(line)
}

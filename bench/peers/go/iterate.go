package main

import (
	"fmt"
	"os"
	"time"

	"github.com/gocql/gocql"
	"github.com/scylladb/gocqlx/v3"
)

// rowReader reads the iterate_rows table row by row, a page of 5000 rows at a time.
type rowReader interface {
	next(row *iterateRow) bool // false at the end or on an error
	close() error
}

// gocqlReader scans each row's columns into the struct's fields.
type gocqlReader struct {
	q    *gocql.Query
	iter *gocql.Iter
}

func (r *gocqlReader) next(row *iterateRow) bool { return r.iter.Scan(&row.P, &row.C, &row.V) }

func (r *gocqlReader) close() error {
	defer r.q.Release()
	return r.iter.Close()
}

// gocqlxReader maps each row onto the struct with StructScan.
type gocqlxReader struct {
	q    *gocqlx.Queryx
	iter *gocqlx.Iterx
}

func (r *gocqlxReader) next(row *iterateRow) bool { return r.iter.StructScan(row) }

func (r *gocqlxReader) close() error {
	defer r.q.Release()
	return r.iter.Close()
}

func openReader(s *gocql.Session, front string) rowReader {
	if front == "gocql" {
		q := s.Query(cqlIterate).PageSize(5000)
		return &gocqlReader{q: q, iter: q.Iter()}
	}
	q := xIterate.query(gocqlx.NewSession(s)).PageSize(5000)
	return &gocqlxReader{q: q, iter: q.Iter()}
}

// measureIterate reads the whole table once, measured; ops are rows, and the latencies are per
// page of 5000 rows (the time from the previous page's last row to this page's last row), as
// every peer counts them, so that no peer holds a latency per row. Before that it reads the
// table's first rows for the warm-up time, unmeasured (which also prepares the statement).
func measureIterate(res *result, s *gocql.Session, front string, warmup time.Duration) error {
	var row iterateRow
	if warmup > 0 {
		r := openReader(s, front)
		deadline := time.Now().Add(warmup)
		for time.Now().Before(deadline) && r.next(&row) {
		}
		if err := r.close(); err != nil {
			return fmt.Errorf("iterate warm-up: %w", err)
		}
	}

	res.RSSStartKiB = rssKiB()
	cpuStart, _ := cpuAndMaxRSS()
	start := time.Now()
	r := openReader(s, front)
	var pages []time.Duration
	var rows int64
	var sumC, sumLen int64 // a running sum that keeps the decoding from being optimised away
	prev := start
	for r.next(&row) {
		rows++
		sumC += int64(row.C)
		sumLen += int64(len(row.V))
		if rows%5000 == 0 {
			now := time.Now()
			pages = append(pages, now.Sub(prev))
			prev = now
		}
	}
	if rows%5000 != 0 {
		pages = append(pages, time.Since(prev))
	}
	err := r.close()
	wall := time.Since(start)
	cpuEnd, maxRSS := cpuAndMaxRSS()

	if err != nil {
		res.Errors = 1
		fmt.Fprintln(os.Stderr, "go-peer: iterate:", err)
	}
	fmt.Fprintf(os.Stderr, "go-peer: iterate read %d rows, sum(c) = %d, sum(len(v)) = %d\n", rows, sumC, sumLen)
	res.finish(pages, wall, cpuEnd-cpuStart, maxRSS)
	res.Ops = rows
	res.OpsPerS = round(float64(rows)/wall.Seconds(), 1)
	if rows > 0 {
		res.CPUUsPerOp = round(float64((cpuEnd-cpuStart).Microseconds())/float64(rows), 3)
	}
	return nil
}

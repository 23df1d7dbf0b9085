package main

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/gocql/gocql"
	"github.com/scylladb/gocqlx/v3"
)

// opFunc runs operation number n of a workload; it is called from many goroutines at once.
type opFunc func(n int64) error

// Row types of the protocol's tables. Both fronts decode into them: gocql through Scan into
// the fields, gocqlx through its struct mapping (the db tags).
type product struct {
	ID          gocql.UUID `db:"id"`
	Name        string     `db:"name"`
	Brand       string     `db:"brand"`
	Category    string     `db:"category"`
	Price       float64    `db:"price"`
	Tags        []string   `db:"tags"`
	Description string     `db:"description"`
}

type review struct {
	ProductID gocql.UUID `db:"product_id"`
	CreatedAt time.Time  `db:"created_at"`
	Author    string     `db:"author"`
	Rating    int        `db:"rating"`
}

type event struct {
	ID        gocql.UUID `db:"id"`
	EventType string     `db:"event_type"`
	Payload   string     `db:"payload"`
}

type pageView struct {
	URL string `db:"url"`
}

type kvRow struct {
	K int
	V []byte
}

type iterateRow struct {
	P int    `db:"p"`
	C int    `db:"c"`
	V string `db:"v"`
}

const (
	reviewsPerPartition = 20    // rows of each seeded review partition
	updatePrice         = 19.99 // the price the update workload writes
)

// kvValue is the 100-byte kv value: byte b is b % 256.
var kvValue = func() []byte {
	v := make([]byte, 100)
	for b := range v {
		v[b] = byte(b % 256)
	}
	return v
}()

// seedID is the protocol's seed id i: 00000000-0000-4000-8000-<i as 12 hex digits>.
func seedID(i int64) gocql.UUID {
	var id gocql.UUID
	id[6], id[8] = 0x40, 0x80
	for b := 15; b >= 10; b-- {
		id[b] = byte(i)
		i >>= 8
	}
	return id
}

// newProduct is the product row an insert writes: a fresh random (v4) id and the seed values.
func newProduct(n int64) (product, error) {
	id, err := gocql.RandomUUID()
	return product{
		ID:          id,
		Name:        fmt.Sprintf("product-%d", n),
		Brand:       "Brand",
		Category:    "general",
		Price:       9.99,
		Tags:        []string{"a", "b", "c"},
		Description: "benchmark product",
	}, err
}

// newEvent is one row of the batch10 workload.
func newEvent() (event, error) {
	id, err := gocql.RandomUUID()
	return event{ID: id, EventType: "click", Payload: "payload"}, err
}

// checkPartition fails a find_partition whose answer is not the seeded partition.
func checkPartition(rows []review) error {
	if len(rows) != reviewsPerPartition {
		return fmt.Errorf("find_partition read %d rows, want %d", len(rows), reviewsPerPartition)
	}
	return nil
}

// workloads are the protocol's workloads; the driver_* ones run on the gocql front only.
var workloads = []string{
	"insert", "insert_ttl", "insert_if_not_exists", "get", "find_partition", "update",
	"save_delete", "batch10", "counter_increment", "iterate",
	"driver_insert", "driver_select_paged", "driver_select_unpaged",
}

// offers tells whether this program runs a workload on a front with that many operations in
// flight, and if not, why (errUnsupported).
func offers(front, workload string, inflight int) error {
	switch {
	case front != "gocql" && front != "gocqlx":
		return fmt.Errorf("%w: unknown front %q", errUnsupported, front)
	case !slices.Contains(workloads, workload):
		return fmt.Errorf("%w: unknown workload %q", errUnsupported, workload)
	case front == "gocqlx" && strings.HasPrefix(workload, "driver_"):
		return fmt.Errorf("%w: %s runs on the gocql front only", errUnsupported, workload)
	case workload == "iterate" && inflight != 1:
		return fmt.Errorf("%w: iterate runs with --inflight 1 only", errUnsupported)
	}
	return nil
}

// newOp returns the operation of a workload that offers accepted, other than iterate.
func newOp(session *gocql.Session, front, workload string) opFunc {
	if front == "gocql" {
		return gocqlOp(session, workload)
	}
	return gocqlxOp(gocqlx.NewSession(session), workload)
}

package main

import (
	"fmt"
	"time"

	"github.com/gocql/gocql"
	"github.com/scylladb/gocqlx/v3"
	"github.com/scylladb/gocqlx/v3/qb"
	"github.com/scylladb/gocqlx/v3/table"
)

// The gocqlx models of the protocol's tables.
var (
	productTable = table.New(table.Metadata{
		Name:    "product",
		Columns: []string{"id", "name", "brand", "category", "price", "tags", "description"},
		PartKey: []string{"id"},
	})
	reviewTable = table.New(table.Metadata{
		Name:    "review",
		Columns: []string{"product_id", "created_at", "author", "rating"},
		PartKey: []string{"product_id"},
		SortKey: []string{"created_at"},
	})
	eventTable = table.New(table.Metadata{
		Name:    "event",
		Columns: []string{"id", "event_type", "payload"},
		PartKey: []string{"id"},
	})
)

// statement is a CQL statement with the names of its bind markers, as gocqlx's builders
// return them. Each is built once, as a gocqlx user keeps them, and bound from structs per
// operation; gocql prepares it on first use. Reads use gocql's default page size, 5000.
type statement struct {
	stmt  string
	names []string
}

func build(stmt string, names []string) statement { return statement{stmt, names} }

var (
	xInsert            = build(productTable.Insert())
	xInsertTTL         = build(productTable.InsertBuilder().TTL(60 * time.Second).ToCql())
	xInsertIfNotExists = build(productTable.InsertBuilder().Unique().ToCql())
	xGet               = build(productTable.Get(productTable.Metadata().Columns...))
	xDelete            = build(productTable.Delete())
	xUpdatePrice       = build(qb.Update("product").Set("price").Where(qb.Eq("id")).ToCql())
	xFindPartition     = build(reviewTable.Select(reviewTable.Metadata().Columns...))
	xInsertEvent       = build(eventTable.Insert())
	xCounterIncrement  = build(qb.Update("page_views").AddLit("views", "1").Where(qb.Eq("url")).ToCql())
	xIterate           = build(qb.Select("iterate_rows").Columns("p", "c", "v").ToCql())
)

// query starts a gocqlx query of a statement.
func (st statement) query(s gocqlx.Session) *gocqlx.Queryx { return s.Query(st.stmt, st.names) }

// gocqlxOp returns the gocqlx front's operation for a workload (neither iterate nor driver_*).
func gocqlxOp(s gocqlx.Session, workload string) opFunc {
	insertProduct := func(st statement, n int64) (product, error) {
		p, err := newProduct(n)
		if err != nil {
			return p, err
		}
		return p, st.query(s).BindStruct(&p).ExecRelease()
	}
	switch workload {
	case "insert":
		return func(n int64) error { _, err := insertProduct(xInsert, n); return err }
	case "insert_ttl":
		return func(n int64) error { _, err := insertProduct(xInsertTTL, n); return err }
	case "insert_if_not_exists":
		return func(n int64) error {
			p, err := newProduct(n)
			if err != nil {
				return err
			}
			applied, err := xInsertIfNotExists.query(s).BindStruct(&p).ExecCASRelease()
			if err == nil && !applied {
				err = errNotApplied
			}
			return err
		}
	case "get":
		return func(n int64) error {
			p := product{ID: seedID(n % 100)}
			return xGet.query(s).BindStruct(&p).GetRelease(&p)
		}
	case "find_partition":
		return func(n int64) error {
			var rows []review
			key := review{ProductID: seedID(1000 + n%50)}
			if err := xFindPartition.query(s).BindStruct(&key).SelectRelease(&rows); err != nil {
				return err
			}
			return checkPartition(rows)
		}
	case "update":
		return func(n int64) error {
			p := product{ID: seedID(n % 100), Price: updatePrice}
			return xUpdatePrice.query(s).BindStruct(&p).ExecRelease()
		}
	case "save_delete":
		return func(n int64) error {
			p, err := insertProduct(xInsert, n)
			if err != nil {
				return err
			}
			return xDelete.query(s).BindStruct(&p).ExecRelease()
		}
	case "batch10":
		// The batch takes the insert's statement and bind names from this query, which
		// itself is never run.
		insertEvent := xInsertEvent.query(s)
		return func(int64) error {
			b := s.Batch(gocql.UnloggedBatch)
			for range 10 {
				e, err := newEvent()
				if err != nil {
					return err
				}
				if err := b.BindStruct(insertEvent, &e); err != nil {
					return err
				}
			}
			return s.ExecuteBatch(b)
		}
	case "counter_increment":
		return func(n int64) error {
			v := pageView{URL: fmt.Sprintf("page-%d", n%100)}
			return xCounterIncrement.query(s).BindStruct(&v).ExecRelease()
		}
	}
	return nil
}

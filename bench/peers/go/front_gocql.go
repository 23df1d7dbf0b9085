package main

import (
	"errors"
	"fmt"

	"github.com/gocql/gocql"
)

// The protocol's statements, run by hand on the gocql front. gocql prepares every SELECT,
// INSERT, UPDATE, DELETE and batch entry on first use and binds it afterwards (its
// prepared-statement cache); reads without a PageSize get its default page size, 5000.
const (
	cqlProductColumns    = "id, name, brand, category, price, tags, description"
	cqlInsert            = "INSERT INTO product (" + cqlProductColumns + ") VALUES (?, ?, ?, ?, ?, ?, ?)"
	cqlInsertTTL         = cqlInsert + " USING TTL 60"
	cqlInsertIfNotExists = cqlInsert + " IF NOT EXISTS"
	cqlGet               = "SELECT " + cqlProductColumns + " FROM product WHERE id = ?"
	cqlFindPartition     = "SELECT product_id, created_at, author, rating FROM review WHERE product_id = ?"
	cqlUpdate            = "UPDATE product SET price = ? WHERE id = ?"
	cqlDelete            = "DELETE FROM product WHERE id = ?"
	cqlInsertEvent       = "INSERT INTO event (id, event_type, payload) VALUES (?, ?, ?)"
	cqlCounterIncrement  = "UPDATE page_views SET views = views + 1 WHERE url = ?"
	cqlInsertKV          = "INSERT INTO kv (k, v) VALUES (?, ?)"
	cqlSelectKV          = "SELECT k, v FROM kv WHERE k = ?"
	cqlIterate           = "SELECT p, c, v FROM iterate_rows"
)

// errNotApplied fails a conditional insert of a fresh id that the server did not apply.
var errNotApplied = errors.New("insert IF NOT EXISTS was not applied")

// gocqlOp returns the gocql front's operation for a workload (not iterate).
func gocqlOp(s *gocql.Session, workload string) opFunc {
	insertProduct := func(stmt string, n int64) (product, error) {
		p, err := newProduct(n)
		if err != nil {
			return p, err
		}
		return p, exec(s.Query(stmt).Bind(p.ID, p.Name, p.Brand, p.Category, p.Price, p.Tags, p.Description))
	}
	switch workload {
	case "insert":
		return func(n int64) error { _, err := insertProduct(cqlInsert, n); return err }
	case "insert_ttl":
		return func(n int64) error { _, err := insertProduct(cqlInsertTTL, n); return err }
	case "insert_if_not_exists":
		return func(n int64) error {
			p, err := newProduct(n)
			if err != nil {
				return err
			}
			q := s.Query(cqlInsertIfNotExists).Bind(p.ID, p.Name, p.Brand, p.Category, p.Price, p.Tags, p.Description)
			defer q.Release()
			applied, err := q.ScanCAS()
			if err == nil && !applied {
				err = errNotApplied
			}
			return err
		}
	case "get":
		return func(n int64) error {
			var p product
			q := s.Query(cqlGet).Bind(seedID(n % 100))
			defer q.Release()
			return q.Scan(&p.ID, &p.Name, &p.Brand, &p.Category, &p.Price, &p.Tags, &p.Description)
		}
	case "find_partition":
		return func(n int64) error {
			q := s.Query(cqlFindPartition).Bind(seedID(1000 + n%50))
			defer q.Release()
			iter := q.Iter()
			var rows []review
			var r review
			for iter.Scan(&r.ProductID, &r.CreatedAt, &r.Author, &r.Rating) {
				rows = append(rows, r)
			}
			if err := iter.Close(); err != nil {
				return err
			}
			return checkPartition(rows)
		}
	case "update":
		return func(n int64) error { return exec(s.Query(cqlUpdate).Bind(updatePrice, seedID(n%100))) }
	case "save_delete":
		return func(n int64) error {
			p, err := insertProduct(cqlInsert, n)
			if err != nil {
				return err
			}
			return exec(s.Query(cqlDelete).Bind(p.ID))
		}
	case "batch10":
		return func(int64) error {
			b := s.Batch(gocql.UnloggedBatch) // Session.NewBatch is a deprecated alias of Batch
			for range 10 {
				e, err := newEvent()
				if err != nil {
					return err
				}
				b.Query(cqlInsertEvent, e.ID, e.EventType, e.Payload)
			}
			return s.ExecuteBatch(b)
		}
	case "counter_increment":
		return func(n int64) error { return exec(s.Query(cqlCounterIncrement).Bind(fmt.Sprintf("page-%d", n%100))) }
	case "driver_insert":
		return func(n int64) error { return exec(s.Query(cqlInsertKV).Bind(int(n%10000), kvValue)) }
	case "driver_select_paged":
		return func(n int64) error { return selectKV(s.Query(cqlSelectKV).Bind(int(n % 10000)).PageSize(5000)) }
	case "driver_select_unpaged":
		// PageSize(0) sends no page size: the server answers with every row at once.
		return func(n int64) error { return selectKV(s.Query(cqlSelectKV).Bind(int(n % 10000)).PageSize(0)) }
	}
	return nil
}

// exec runs a statement that returns no rows and gives its Query back to gocql's pool.
func exec(q *gocql.Query) error {
	defer q.Release()
	return q.Exec()
}

// selectKV reads the one kv row of q into a struct.
func selectKV(q *gocql.Query) error {
	defer q.Release()
	var row kvRow
	return q.Scan(&row.K, &row.V)
}

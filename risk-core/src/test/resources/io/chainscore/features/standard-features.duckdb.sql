-- The standard features of docs/features.md in DuckDB SQL over tables suppliers, invoices,
-- instalments, credit_notes, disputes and deliveries; the as-of epoch day replaces the placeholder.
-- Events count point in time: credit notes booked, disputes opened, deliveries made by the as-of day. DuckDbFeaturesTest checks it against
-- the engine on every supplier and feature; the benchmarks' FeaturesSideBySide times it.
WITH cn AS (SELECT inv, s, SUM(amount) AS credited FROM credit_notes WHERE booked <= :asof GROUP BY inv, s),
dsp AS (SELECT DISTINCT inv, s FROM disputes WHERE opened <= :asof),
dlv AS (
  SELECT s, COUNT(*) AS n, COUNT(*) FILTER (WHERE actual <= promised) AS ot FROM deliveries
  WHERE actual <= :asof AND :asof - actual < 360 GROUP BY s),
inv AS (
  SELECT i.*, COALESCE(cn.credited, 0.0) AS returned, dsp.inv IS NOT NULL AS disputed,
    (:asof - i.issue) // 30 AS blk, p.anchor
  FROM invoices i JOIN suppliers p ON p.s = i.s
  LEFT JOIN cn ON cn.inv = i.id AND cn.s = i.s LEFT JOIN dsp ON dsp.inv = i.id AND dsp.s = i.s
  WHERE i.issue <= :asof),
blocks AS (SELECT s, blk, SUM(amount) AS amt, COUNT(*) AS cnt FROM inv WHERE blk < 24 GROUP BY s, blk),
grid AS (
  SELECT p.s, g.blk, COALESCE(b.amt, 0.0) AS amt, COALESCE(b.cnt, 0) AS cnt
  FROM suppliers p CROSS JOIN (SELECT range AS blk FROM range(0, 24)) g
  LEFT JOIN blocks b ON b.s = p.s AND b.blk = g.blk),
win AS (
  SELECT s,
    SUM(amt) FILTER (WHERE blk < 3) AS a3, SUM(amt) FILTER (WHERE blk < 6) AS a6,
    SUM(amt) FILTER (WHERE blk < 12) AS a12, SUM(amt) AS a24,
    SUM(cnt) FILTER (WHERE blk < 3) AS c3, SUM(cnt) FILTER (WHERE blk < 6) AS c6,
    SUM(cnt) FILTER (WHERE blk < 12) AS c12, SUM(cnt) AS c24,
    SUM(amt) FILTER (WHERE blk BETWEEN 12 AND 14) AS base3,
    SUM(amt) FILTER (WHERE blk BETWEEN 6 AND 11) AS base6,
    COUNT(*) FILTER (WHERE cnt > 0) AS active24,
    COUNT(*) FILTER (WHERE cnt = 0 AND blk < 12) AS empty12
  FROM grid GROUP BY s),
cv AS (
  SELECT g.s, SQRT(SUM((g.amt - w.a12 / 12) * (g.amt - w.a12 / 12)) / 12) / (w.a12 / 12) AS cv
  FROM grid g JOIN win w ON w.s = g.s WHERE g.blk < 12 AND w.a12 > 0 GROUP BY g.s, w.a12),
drops AS (
  SELECT later.s, MAX(GREATEST(0.0, (earlier.amt - later.amt) / earlier.amt)) AS drop
  FROM grid later JOIN grid earlier ON earlier.s = later.s AND earlier.blk = later.blk + 1
  WHERE later.blk < 11 AND earlier.amt > 0 GROUP BY later.s),
life AS (
  SELECT s, MIN(issue) AS first_issue, MAX(issue) AS last_issue,
    MIN(issue) FILTER (WHERE buyer = anchor) AS first_anchor
  FROM inv GROUP BY s),
byb AS (SELECT s, buyer, SUM(amount) AS amt FROM inv WHERE blk < 12 GROUP BY s, buyer),
conc AS (SELECT s, COUNT(*) AS nb, SUM(amt) AS tot, MAX(amt) AS mx FROM byb GROUP BY s),
hhi AS (
  SELECT b.s, SUM((b.amt / c.tot) * (b.amt / c.tot)) AS hhi
  FROM byb b JOIN conc c ON c.s = b.s WHERE c.tot > 0 GROUP BY b.s),
ful AS (
  SELECT s, SUM(returned) AS ret,
    COALESCE(SUM(amount) FILTER (WHERE disputed), 0.0) AS disp
  FROM inv WHERE blk < 12 GROUP BY s),
opn AS (
  SELECT s, SUM(GREATEST(0.0, amount - returned)) AS owed,
    COALESCE(SUM(GREATEST(0.0, amount - returned)) FILTER (WHERE :asof - due BETWEEN 1 AND 30), 0.0) AS o1,
    COALESCE(SUM(GREATEST(0.0, amount - returned)) FILTER (WHERE :asof - due BETWEEN 31 AND 60), 0.0) AS o2,
    COALESCE(SUM(GREATEST(0.0, amount - returned)) FILTER (WHERE :asof - due BETWEEN 61 AND 90), 0.0) AS o3,
    COALESCE(SUM(GREATEST(0.0, amount - returned)) FILTER (WHERE :asof - due >= 91), 0.0) AS o4
  FROM inv WHERE paid IS NULL OR paid > :asof GROUP BY s),
paidb AS (
  SELECT s, AVG(GREATEST(0, paid - due)) AS beyond FROM inv
  WHERE paid <= :asof AND :asof - paid < 360 GROUP BY s),
inst AS (
  SELECT *, (repaid IS NOT NULL AND repaid <= :asof AND amount_repaid >= amount_due - 0.005::DOUBLE) AS settled
  FROM instalments),
loans AS (
  SELECT loan, ANY_VALUE(s) AS s, ANY_VALUE(drawdown) AS drawdown, ANY_VALUE(loan_amount) AS la,
    SUM(amount_due) AS total, COALESCE(SUM(amount_due) FILTER (WHERE settled), 0.0) AS settled_due
  FROM inst GROUP BY loan),
fin AS (SELECT s, SUM(la * (1 - settled_due / total)) AS outstanding FROM loans WHERE drawdown <= :asof GROUP BY s),
dpd AS (
  SELECT s, settled, :asof - due AS age,
    CASE WHEN due = :asof THEN 0 WHEN settled THEN GREATEST(0, repaid - due) ELSE :asof - due END AS dpd
  FROM inst WHERE due <= :asof),
dpd12 AS (SELECT s, MAX(dpd) AS mx, AVG(dpd) AS av FROM dpd WHERE age < 360 OR NOT settled GROUP BY s),
c30 AS (SELECT s, COUNT(*) AS n FROM dpd WHERE age < 720 AND dpd >= 30 GROUP BY s)
SELECT p.s,
  (:asof - l.first_issue) / 30.0::DOUBLE AS tenure_months_any,
  (:asof - l.first_anchor) / 30.0::DOUBLE AS tenure_months_anchor,
  CASE WHEN l.first_issue IS NOT NULL
    THEN w.active24 / LEAST(24, (:asof - l.first_issue) // 30 + 1)::DOUBLE END AS active_month_share_24m,
  (:asof - l.last_issue)::DOUBLE AS days_since_last_invoice,
  w.a3 AS invoiced_amount_3m, w.a6 AS invoiced_amount_6m, w.a12 AS invoiced_amount_12m,
  w.a24 AS invoiced_amount_24m,
  w.c3 AS invoice_count_3m, w.c6 AS invoice_count_6m, w.c12 AS invoice_count_12m,
  w.c24 AS invoice_count_24m,
  CASE WHEN w.base3 > 0 THEN w.a3 / w.base3 - 1 END AS growth_3m_yoy,
  CASE WHEN w.base6 > 0 THEN w.a6 / w.base6 - 1 END AS growth_6m_vs_prior_6m,
  cv.cv AS monthly_amount_cv_12m,
  w.empty12 AS months_without_invoices_12m,
  drops.drop AS max_month_drop_12m,
  COALESCE(conc.nb, 0) AS buyer_count_12m,
  CASE WHEN conc.tot > 0 THEN conc.mx / conc.tot END AS top_buyer_share_12m,
  hhi.hhi AS buyer_hhi_12m,
  CASE WHEN dlv.n > 0 THEN dlv.ot / dlv.n::DOUBLE END AS on_time_delivery_rate_12m,
  CASE WHEN w.a12 > 0 THEN ful.ret / w.a12 END AS dilution_rate_12m,
  CASE WHEN w.a12 > 0 THEN ful.disp / w.a12 END AS disputed_share_12m,
  COALESCE(opn.owed, 0.0) AS open_receivables,
  CASE WHEN w.a3 > 0 THEN COALESCE(opn.owed, 0.0) / w.a3 * 90 END AS days_sales_outstanding,
  CASE WHEN opn.owed > 0 THEN opn.o1 / opn.owed END AS overdue_share_1_30,
  CASE WHEN opn.owed > 0 THEN opn.o2 / opn.owed END AS overdue_share_31_60,
  CASE WHEN opn.owed > 0 THEN opn.o3 / opn.owed END AS overdue_share_61_90,
  CASE WHEN opn.owed > 0 THEN opn.o4 / opn.owed END AS overdue_share_90_plus,
  paidb.beyond AS avg_days_paid_beyond_terms_12m,
  COALESCE(fin.outstanding, 0.0) AS outstanding_financing,
  CASE WHEN opn.owed > 0 THEN COALESCE(fin.outstanding, 0.0) / opn.owed END AS financing_utilisation,
  dpd12.mx AS max_days_past_due_12m,
  dpd12.av AS avg_days_past_due_12m,
  COALESCE(c30.n, 0) AS instalments_30dpd_count_24m,
  p.sector AS sector,
  CASE WHEN p.region >= 0 THEN p.region END AS region_index,
  CASE WHEN p.reg <= :asof THEN (:asof - p.reg) / 365.25::DOUBLE END AS firm_age_years,
  CASE WHEN p.turnover > 0 THEN p.turnover END AS declared_turnover
FROM suppliers p
JOIN win w ON w.s = p.s
LEFT JOIN life l ON l.s = p.s
LEFT JOIN cv ON cv.s = p.s
LEFT JOIN drops ON drops.s = p.s
LEFT JOIN conc ON conc.s = p.s
LEFT JOIN hhi ON hhi.s = p.s
LEFT JOIN ful ON ful.s = p.s
LEFT JOIN dlv ON dlv.s = p.s
LEFT JOIN opn ON opn.s = p.s
LEFT JOIN paidb ON paidb.s = p.s
LEFT JOIN fin ON fin.s = p.s
LEFT JOIN dpd12 ON dpd12.s = p.s
LEFT JOIN c30 ON c30.s = p.s
ORDER BY p.s

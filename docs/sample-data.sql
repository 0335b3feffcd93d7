/*
  Sample data for the reference implementation of the integration contract (docs/contract.sql):
  a small domain system with three taxpayers, their 2026 decisions, installments, a cash-desk
  payment and its booking. Used by docker-compose.yml to initialise the MS SQL Server container.
  Idempotent: rows are inserted only when missing.
*/
SET NOCOUNT ON;
SET XACT_ABORT ON;
GO
BEGIN TRANSACTION;

INSERT INTO portal.t_taxpayers (source_id, kind, name, first_name, last_name, pesel, nip, regon, street, postal_code, city)
SELECT v.* FROM (VALUES
    (N'P-000101', 'natural', N'Zofia Żółkiewska', N'Zofia', N'Żółkiewska', '66051412348', NULL, NULL, N'ul. Łąkowa 7', '36-065', N'Przykładowo'),
    (N'P-000102', 'natural', N'Grzegorz Brzęczyszczykiewicz', N'Grzegorz', N'Brzęczyszczykiewicz', '82110245612', NULL, NULL, N'ul. Źródlana 12', '36-065', N'Przykładowo'),
    (N'F-000201', 'legal', N'Spółdzielnia Mleczarska „Łąka”', NULL, NULL, NULL, '5250001233', '012345678', N'ul. Przemysłowa 3', '36-065', N'Przykładowo')
) AS v (source_id, kind, name, first_name, last_name, pesel, nip, regon, street, postal_code, city)
WHERE NOT EXISTS (SELECT 1 FROM portal.t_taxpayers t WHERE t.source_id = v.source_id);

INSERT INTO portal.t_obligations (source_id, taxpayer_source_id, kind, year, title, decision_number, decision_date, delivered_date, amount, rate_kind)
SELECT v.* FROM (VALUES
    (N'D-2026-0101', N'P-000101', 'property_tax', 2026, N'Podatek od nieruchomości 2026', N'FN.3120.101.2026', CAST('2026-02-05' AS DATE), CAST('2026-02-12' AS DATE), CAST(412.00 AS MONEY), 'standard'),
    (N'D-2026-0102', N'P-000102', 'combined_obligation', 2026, N'Łączne zobowiązanie pieniężne 2026', N'FN.3120.102.2026', CAST('2026-02-05' AS DATE), CAST('2026-02-16' AS DATE), CAST(1873.00 AS MONEY), 'standard'),
    (N'D-2026-0201', N'F-000201', 'property_tax', 2026, N'Podatek od nieruchomości 2026', N'FN.3120.201.2026', CAST('2026-01-20' AS DATE), CAST('2026-01-22' AS DATE), CAST(24000.00 AS MONEY), 'standard')
) AS v (source_id, taxpayer_source_id, kind, year, title, decision_number, decision_date, delivered_date, amount, rate_kind)
WHERE NOT EXISTS (SELECT 1 FROM portal.t_obligations t WHERE t.source_id = v.source_id);

INSERT INTO portal.t_basis_items (source_id, obligation_source_id, position, category, quantity, unit, rate, amount, resolution)
SELECT v.* FROM (VALUES
    (N'B-0101-1', N'D-2026-0101', 1, N'Grunty pozostałe', CAST(600.000000 AS DECIMAL(19,6)), N'm²', CAST(0.390000 AS DECIMAL(19,6)), CAST(234.00 AS DECIMAL(19,2)), N'Uchwała Rady Gminy Przykładowo nr XII/34/2025'),
    (N'B-0101-2', N'D-2026-0101', 2, N'Budynki mieszkalne', CAST(209.500000 AS DECIMAL(19,6)), N'm²', CAST(0.850000 AS DECIMAL(19,6)), CAST(178.08 AS DECIMAL(19,2)), N'Uchwała Rady Gminy Przykładowo nr XII/34/2025')
) AS v (source_id, obligation_source_id, position, category, quantity, unit, rate, amount, resolution)
WHERE NOT EXISTS (SELECT 1 FROM portal.t_basis_items t WHERE t.source_id = v.source_id);

INSERT INTO portal.t_installments (source_id, obligation_source_id, number, due_date, amount)
SELECT v.* FROM (VALUES
    (N'R-0101-1', N'D-2026-0101', 1, CAST('2026-03-16' AS DATE), CAST(103.00 AS DECIMAL(19,2))),
    (N'R-0101-2', N'D-2026-0101', 2, CAST('2026-05-15' AS DATE), CAST(103.00 AS DECIMAL(19,2))),
    (N'R-0101-3', N'D-2026-0101', 3, CAST('2026-09-15' AS DATE), CAST(103.00 AS DECIMAL(19,2))),
    (N'R-0101-4', N'D-2026-0101', 4, CAST('2026-11-16' AS DATE), CAST(103.00 AS DECIMAL(19,2))),
    (N'R-0102-1', N'D-2026-0102', 1, CAST('2026-03-16' AS DATE), CAST(469.00 AS DECIMAL(19,2))),
    (N'R-0102-2', N'D-2026-0102', 2, CAST('2026-05-15' AS DATE), CAST(468.00 AS DECIMAL(19,2))),
    (N'R-0102-3', N'D-2026-0102', 3, CAST('2026-09-15' AS DATE), CAST(468.00 AS DECIMAL(19,2))),
    (N'R-0102-4', N'D-2026-0102', 4, CAST('2026-11-16' AS DATE), CAST(468.00 AS DECIMAL(19,2))),
    (N'R-0201-01', N'D-2026-0201', 1, CAST('2026-02-02' AS DATE), CAST(2000.00 AS DECIMAL(19,2))),
    (N'R-0201-02', N'D-2026-0201', 2, CAST('2026-03-16' AS DATE), CAST(2000.00 AS DECIMAL(19,2)))
) AS v (source_id, obligation_source_id, number, due_date, amount)
WHERE NOT EXISTS (SELECT 1 FROM portal.t_installments t WHERE t.source_id = v.source_id);

INSERT INTO portal.t_payments (source_id, taxpayer_source_id, channel, payment_date, booking_date, amount, payer, reference, indicated_obligation_source_id)
SELECT v.* FROM (VALUES
    (N'K-2026-00017', N'P-000101', 'cash_desk', CAST('2026-03-10' AS DATE), CAST('2026-03-10' AS DATE), CAST(103.00 AS MONEY), N'Zofia Żółkiewska', N'Kasa UG, KP 17/2026', N'D-2026-0101')
) AS v (source_id, taxpayer_source_id, channel, payment_date, booking_date, amount, payer, reference, indicated_obligation_source_id)
WHERE NOT EXISTS (SELECT 1 FROM portal.t_payments t WHERE t.source_id = v.source_id);

INSERT INTO portal.t_payment_allocations (source_id, payment_source_id, position, installment_source_id, principal, interest, reminder_costs, overpayment)
SELECT v.* FROM (VALUES
    (N'K-2026-00017/1', N'K-2026-00017', 1, N'R-0101-1', CAST(103.00 AS DECIMAL(19,2)), CAST(0 AS DECIMAL(19,2)), CAST(0 AS DECIMAL(19,2)), CAST(0 AS DECIMAL(19,2)))
) AS v (source_id, payment_source_id, position, installment_source_id, principal, interest, reminder_costs, overpayment)
WHERE NOT EXISTS (SELECT 1 FROM portal.t_payment_allocations t WHERE t.source_id = v.source_id);

COMMIT;
GO

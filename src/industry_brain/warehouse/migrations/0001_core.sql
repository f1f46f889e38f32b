-- Migration 1: core tables and source tables.
-- Frozen: never edit; add a new migration instead.

CREATE TABLE region (code VARCHAR PRIMARY KEY, name VARCHAR NOT NULL,
        level VARCHAR NOT NULL, parent_code VARCHAR);

CREATE TABLE industry (code VARCHAR PRIMARY KEY, name VARCHAR NOT NULL,
        level VARCHAR NOT NULL, parent_code VARCHAR, section VARCHAR NOT NULL);

CREATE TABLE batch (batch_id INTEGER PRIMARY KEY, source VARCHAR NOT NULL,
        file_name VARCHAR NOT NULL, sha256 VARCHAR NOT NULL, sheet VARCHAR, year INTEGER,
        rows_in INTEGER NOT NULL, rows_loaded INTEGER NOT NULL, rows_rejected INTEGER NOT NULL,
        spec_sha256 VARCHAR NOT NULL, archive_path VARCHAR NOT NULL,
        loaded_at TIMESTAMP NOT NULL, loaded_by VARCHAR, code_version VARCHAR NOT NULL,
        status VARCHAR NOT NULL DEFAULT 'active');

CREATE TABLE batch_error (batch_id INTEGER NOT NULL, code VARCHAR NOT NULL,
        "row" INTEGER, "column" VARCHAR, field VARCHAR, value VARCHAR, message VARCHAR NOT NULL);

CREATE TABLE enterprise (uscc VARCHAR PRIMARY KEY, name VARCHAR, region_code VARCHAR,
        park_code VARCHAR, industry_code VARCHAR, registered_on DATE, address VARCHAR,
        register_batch_id INTEGER, statistics_batch_id INTEGER);

CREATE TABLE enterprise_year (uscc VARCHAR NOT NULL, year INTEGER NOT NULL, above_scale BOOLEAN, revenue DOUBLE PRECISION, output DOUBLE PRECISION, value_added DOUBLE PRECISION, employees DOUBLE PRECISION, energy_tce DOUBLE PRECISION, rd_expense DOUBLE PRECISION, new_product_output DOUBLE PRECISION, export_value DOUBLE PRECISION, profit DOUBLE PRECISION, tax_paid DOUBLE PRECISION, land_mu DOUBLE PRECISION, land_owned_mu DOUBLE PRECISION, land_leased_mu DOUBLE PRECISION, land_let_mu DOUBLE PRECISION, parcels INTEGER, electricity_kwh DOUBLE PRECISION, emissions_eq DOUBLE PRECISION, statistics_batch_id INTEGER, tax_batch_id INTEGER, land_batch_id INTEGER, electricity_batch_id INTEGER, emissions_batch_id INTEGER, PRIMARY KEY (uscc, year));

CREATE TABLE "transaction" (year INTEGER NOT NULL, seller_uscc VARCHAR NOT NULL,
        buyer_uscc VARCHAR NOT NULL, product_code VARCHAR, amount DOUBLE PRECISION NOT NULL,
        batch_id INTEGER);

CREATE TABLE src_register (batch_id INTEGER NOT NULL, row_number INTEGER NOT NULL, uscc VARCHAR, name VARCHAR, region_code VARCHAR, industry_code VARCHAR, registered_on DATE, address VARCHAR, park_code VARCHAR);

CREATE TABLE src_statistics (batch_id INTEGER NOT NULL, row_number INTEGER NOT NULL, uscc VARCHAR, name VARCHAR, year INTEGER, region_code VARCHAR, industry_code VARCHAR, above_scale BOOLEAN, revenue DOUBLE PRECISION, output DOUBLE PRECISION, value_added DOUBLE PRECISION, employees DOUBLE PRECISION, energy_tce DOUBLE PRECISION, rd_expense DOUBLE PRECISION, new_product_output DOUBLE PRECISION, export_value DOUBLE PRECISION, profit DOUBLE PRECISION);

CREATE TABLE src_tax (batch_id INTEGER NOT NULL, row_number INTEGER NOT NULL, uscc VARCHAR, name VARCHAR, year INTEGER, tax_paid DOUBLE PRECISION);

CREATE TABLE src_land (batch_id INTEGER NOT NULL, row_number INTEGER NOT NULL, uscc VARCHAR, name VARCHAR, year INTEGER, parcel_id VARCHAR, area_mu DOUBLE PRECISION, tenure VARCHAR);

CREATE TABLE src_electricity (batch_id INTEGER NOT NULL, row_number INTEGER NOT NULL, uscc VARCHAR, name VARCHAR, year INTEGER, electricity_kwh DOUBLE PRECISION);

CREATE TABLE src_emissions (batch_id INTEGER NOT NULL, row_number INTEGER NOT NULL, uscc VARCHAR, name VARCHAR, year INTEGER, emissions_eq DOUBLE PRECISION);

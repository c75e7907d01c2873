-- Partitioned: assetgraph passes the partition's window as dbt vars min_date and
-- max_date (ISO timestamps, max_date excluded), and the delete+insert strategy
-- replaces exactly that window.
{{ config(materialized='incremental', incremental_strategy='delete+insert', unique_key='ordered_on', tags=['daily']) }}

select ordered_on, sum(amount) as revenue, count(*) as orders
from {{ ref('stg_orders') }}
where ordered_on >= cast('{{ var("min_date", "1900-01-01") }}' as timestamp)
  and ordered_on < cast('{{ var("max_date", "9999-12-31") }}' as timestamp)
group by ordered_on

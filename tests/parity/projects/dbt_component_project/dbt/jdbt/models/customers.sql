select count(*) as customers from {{ ref('stg_customers') }}

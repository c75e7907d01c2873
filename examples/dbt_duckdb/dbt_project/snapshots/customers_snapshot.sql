{% snapshot customers_snapshot %}
{{ config(target_schema='main', unique_key='customer_id', strategy='check', check_cols=['name', 'country']) }}
select customer_id, name, country from {{ source('raw', 'customers') }}
{% endsnapshot %}

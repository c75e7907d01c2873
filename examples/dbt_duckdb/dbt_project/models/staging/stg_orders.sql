select
    order_id,
    customer_id,
    cast(ordered_on as date) as ordered_on,
    amount
from {{ source('raw', 'orders') }}
where amount > 0

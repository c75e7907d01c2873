select c.customer_id, c.name, c.country, r.region
from {{ source('raw', 'customers') }} as c
left join {{ ref('regions') }} as r using (country)

"""Allow ``python -m koreasec_data``."""

from koreasec_data.cli import main

raise SystemExit(main())

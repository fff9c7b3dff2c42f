"""Chinese organisation-name parsing and entity resolution (pure, in memory), and the
import that applies it to a store: ``linker`` decides, ``importer`` drives, the store writes."""

from xietong.resolve.matcher import Match, Resolver
from xietong.resolve.names import OrgName, compact, name_keys, normalize, parse_org_name

__all__ = ["Match", "OrgName", "Resolver", "compact", "name_keys", "normalize", "parse_org_name"]

"""``croissant.json``: the package as Croissant 1.1 JSON-LD, for dataset search engines
and archives (it doubles as schema.org ``Dataset`` markup).

Derived from the package's ``datapackage.json``, itself derived from ``schemas/``: one
RecordSet per table, a field per column with its description and type, primary keys as
keys, foreign keys to other tables as references, each Parquet file a FileObject with its sha256.
"""

from __future__ import annotations

from typing import Any

from koreasec_data.loader import BYTES_KEY

__all__ = ["CONFORMS_TO", "croissant"]

CONFORMS_TO = "http://mlcommons.org/croissant/1.1"

#: Frictionless field type -> Croissant data type (lists are arrays of text).
DATA_TYPES = {
    "string": "sc:Text",
    "integer": "sc:Integer",
    "number": "sc:Float",
    "boolean": "sc:Boolean",
    "date": "sc:Date",
    "any": "sc:Text",
}

#: The JSON-LD context of Croissant 1.1 (the specification's, unchanged).
CONTEXT = {
    "@language": "en",
    "@vocab": "https://schema.org/",
    "arrayShape": "cr:arrayShape",
    "citeAs": "cr:citeAs",
    "column": "cr:column",
    "conformsTo": "dct:conformsTo",
    "containedIn": "cr:containedIn",
    "cr": "http://mlcommons.org/croissant/",
    "rai": "http://mlcommons.org/croissant/RAI/",
    "data": {"@id": "cr:data", "@type": "@json"},
    "dataType": {"@id": "cr:dataType", "@type": "@vocab"},
    "dct": "http://purl.org/dc/terms/",
    "equivalentProperty": "cr:equivalentProperty",
    "examples": {"@id": "cr:examples", "@type": "@json"},
    "extract": "cr:extract",
    "field": "cr:field",
    "fileObject": "cr:fileObject",
    "fileProperty": "cr:fileProperty",
    "fileSet": "cr:fileSet",
    "format": "cr:format",
    "includes": "cr:includes",
    "isArray": "cr:isArray",
    "isLiveDataset": "cr:isLiveDataset",
    "jsonPath": "cr:jsonPath",
    "key": "cr:key",
    "md5": "cr:md5",
    "parentField": "cr:parentField",
    "path": "cr:path",
    "recordSet": "cr:recordSet",
    "references": "cr:references",
    "regex": "cr:regex",
    "repeated": "cr:repeated",
    "replace": "cr:replace",
    "samplingRate": "cr:samplingRate",
    "sc": "https://schema.org/",
    "separator": "cr:separator",
    "source": "cr:source",
    "subField": "cr:subField",
    "transform": "cr:transform",
}


def croissant(descriptor: dict[str, Any], cite_as: str) -> dict[str, Any]:
    """Return the Croissant description of a built package.

    Parameters
    ----------
    descriptor : dict
        The package's ``datapackage.json``.
    cite_as : str
        Its BibTeX citation.
    """
    (licence,) = descriptor["licenses"]
    return {
        "@context": CONTEXT,
        "@type": "sc:Dataset",
        "conformsTo": CONFORMS_TO,
        "name": descriptor["name"],
        "alternateName": descriptor["title"],
        "description": descriptor["description"],
        "version": descriptor["version"],
        "url": descriptor["id"],
        "sameAs": descriptor["homepage"],
        "license": licence["path"],
        "citeAs": cite_as,
        "datePublished": descriptor["created"][:10],
        "creator": [
            {"@type": "sc:Organization", "name": person["title"]}
            for person in descriptor["contributors"]
        ],
        "keywords": descriptor["keywords"],
        "isLiveDataset": False,
        "distribution": [_file_object(resource) for resource in descriptor["resources"]],
        "recordSet": [_record_set(resource) for resource in descriptor["resources"]],
    }


def _file_object(resource: dict[str, Any]) -> dict[str, Any]:
    return {
        "@type": "cr:FileObject",
        "@id": f"{resource['name']}-file",
        "name": resource["path"],
        "contentUrl": resource["path"],
        "contentSize": f"{resource[BYTES_KEY]} B",
        "encodingFormat": "application/x-parquet",  # the type Croissant readers know
        "sha256": resource["hash"].removeprefix("sha256:"),
    }


def _record_set(resource: dict[str, Any]) -> dict[str, Any]:
    name, schema = resource["name"], resource["schema"]
    # Croissant references point to another RecordSet (readers join on them), so a
    # table's references to itself (actors.parent_id) stay in datapackage.json only.
    references = {
        column: f"{key['reference']['resource']}/{target}"
        for key in schema.get("foreignKeys", [])
        if key["reference"]["resource"] not in ("", name)
        for column, target in zip(key["fields"], key["reference"]["fields"], strict=True)
    }
    record_set = {
        "@type": "cr:RecordSet",
        "@id": name,
        "name": name,
        "description": schema["description"],
        "field": [_field(name, field, references) for field in schema["fields"]],
    }
    keys = schema.get("primaryKey", [])
    record_set["key"] = [{"@id": f"{name}/{column}"} for column in keys]
    return record_set


def _field(table: str, field: dict[str, Any], references: dict[str, str]) -> dict[str, Any]:
    entry = {
        "@type": "cr:Field",
        "@id": f"{table}/{field['name']}",
        "name": field["name"],
        "description": field["description"],
        "dataType": DATA_TYPES[field["type"]],
        "source": {"fileObject": {"@id": f"{table}-file"}, "extract": {"column": field["name"]}},
    }
    if field["type"] == "any":
        entry["isArray"] = True
    if field["name"] in references:
        entry["references"] = {"field": {"@id": references[field["name"]]}}
    return entry

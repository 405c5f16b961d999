"""A small parser for include/swiftvi.h and a checker comparing it with the package's ctypes declarations."""

import ctypes
import re
from dataclasses import dataclass, field
from pathlib import Path

HEADER = Path(__file__).resolve().parents[3] / "include" / "swiftvi.h"

# C scalar types the header uses. On LP64 Linux several are the same ctypes
# type (size_t, uint64_t and unsigned long; int32_t and int): the check is
# exact at the level of the ABI.
C_SCALARS = {
    "void": None,
    "char": ctypes.c_char,
    "int": ctypes.c_int,
    "double": ctypes.c_double,
    "int32_t": ctypes.c_int32,
    "uint8_t": ctypes.c_uint8,
    "uint32_t": ctypes.c_uint32,
    "uint64_t": ctypes.c_uint64,
    "size_t": ctypes.c_size_t,
}


@dataclass
class Header:
    """The declarations of a C header, with types kept as C text."""

    defines: dict = field(default_factory=dict)  # name -> int
    typedefs: dict = field(default_factory=dict)  # name -> C type
    structs: dict = field(default_factory=dict)  # name -> [(field, C type, array length or None)]
    callbacks: dict = field(default_factory=dict)  # name -> (C return type, [C parameter types])
    functions: dict = field(default_factory=dict)  # name -> (C return type, [C parameter types])
    parameter_names: dict = field(default_factory=dict)  # function name -> [parameter names]


class UnparsedDeclaration(ValueError):
    """The header contains a declaration this parser does not understand."""


def _strip(text):
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    text = re.sub(r"//[^\n]*", " ", text)
    return text


def _split_declarator(declaration):
    """'const double *data' -> ('const double *', 'data')."""
    match = re.fullmatch(r"(.*?[\s*])(\w+)", declaration.strip(), flags=re.S)
    if not match:
        raise UnparsedDeclaration(declaration)
    return " ".join(match.group(1).split()), match.group(2)


def _declarators(text):
    text = " ".join(text.split())
    if text in ("", "void"):
        return []
    return [_split_declarator(part) for part in text.split(",")]


def _parameters(text):
    return [c_type for c_type, _ in _declarators(text)]


def parse(text):
    """Parses the header text into a Header; raises UnparsedDeclaration for anything it cannot read."""
    header = Header()
    text = _strip(text)
    for name, value in re.findall(r"^\s*#\s*define\s+(\w+)\s+(-?\d+)\s*$", text, flags=re.M):
        header.defines[name] = int(value)
    text = re.sub(r"^\s*#.*$", " ", text, flags=re.M)
    text = re.sub(r'extern\s+"C"\s*\{', " ", text)
    text = re.sub(r"^\s*\}\s*$", " ", text, flags=re.M)

    def struct(match):
        fields = []
        for member in filter(None, (m.strip() for m in match.group(2).split(";"))):
            array = re.fullmatch(r"(.*?)\[(\d+)\]", member, flags=re.S)
            c_type, name = _split_declarator(array.group(1) if array else member)
            fields.append((name, c_type, int(array.group(2)) if array else None))
        if match.group(1) != match.group(3):
            raise UnparsedDeclaration(f"struct tag {match.group(1)} differs from typedef {match.group(3)}")
        header.structs[match.group(3)] = fields
        return " "

    def callback(match):
        header.callbacks[match.group(2)] = (" ".join(match.group(1).split()), _parameters(match.group(3)))
        return " "

    def typedef(match):
        header.typedefs[match.group(2)] = " ".join(match.group(1).split())
        return " "

    text = re.sub(r"typedef\s+struct\s+(\w+)\s*\{(.*?)\}\s*(\w+)\s*;", struct, text, flags=re.S)
    text = re.sub(r"typedef\s+([^;(]+?)\(\s*\*\s*(\w+)\s*\)\s*\(([^)]*)\)\s*;", callback, text, flags=re.S)
    text = re.sub(r"typedef\s+([\w\s]+?)\s+(\w+)\s*;", typedef, text)
    for statement in filter(None, (s.strip() for s in text.split(";"))):
        match = re.fullmatch(r"(.*?[\s*])(\w+)\s*\(([^)]*)\)", statement, flags=re.S)
        if not match:
            raise UnparsedDeclaration(statement)
        header.functions[match.group(2)] = (" ".join(match.group(1).split()), _parameters(match.group(3)))
        header.parameter_names[match.group(2)] = [name for _, name in _declarators(match.group(3))]
    return header


def read_header():
    """The parsed include/swiftvi.h."""
    return parse(HEADER.read_text())


def ctype_of(c_type, header, module):
    """The ctypes type of C type text, resolving typedefs from the header and structs to the module's classes."""
    base = re.sub(r"\bconst\b|\*", " ", c_type).strip()
    stars = c_type.count("*")
    if base in header.typedefs:
        resolved = ctype_of(header.typedefs[base], header, module)
    elif base in header.structs:
        resolved = getattr(module, base, None)
        if resolved is None:
            raise LookupError(f"struct {base} is not declared in the package")
    elif base in header.callbacks:
        returns, parameters = header.callbacks[base]
        resolved = ctypes.CFUNCTYPE(
            ctype_of(returns, header, module), *(ctype_of(p, header, module) for p in parameters)
        )
    elif base in C_SCALARS:
        resolved = C_SCALARS[base]
    else:
        raise LookupError(f"unknown C type {c_type!r}")
    if stars and resolved is ctypes.c_char:
        resolved, stars = ctypes.c_char_p, stars - 1
    elif stars and resolved is None:
        resolved, stars = ctypes.c_void_p, stars - 1
    for _ in range(stars):
        resolved = ctypes.POINTER(resolved)
    return resolved


def _name(ctype):
    return "void" if ctype is None else getattr(ctype, "__name__", repr(ctype))


def compare(header, module):
    """Every disagreement between the header and the package module ``module``, as readable lines."""
    problems = []

    def resolve(c_type, where):
        try:
            return ctype_of(c_type, header, module)
        except LookupError as error:
            problems.append(f"{where}: {error}")
            return object()

    package_defines = {name: getattr(module, name) for name in dir(module) if name.startswith("SVI_")}
    for name in sorted(header.defines.keys() | package_defines.keys()):
        if header.defines.get(name) != package_defines.get(name):
            problems.append(f"#define {name}: header {header.defines.get(name)}, package {package_defines.get(name)}")

    for name, c_type in header.typedefs.items():
        if getattr(module, name, None) is not resolve(c_type, f"typedef {name}"):
            problems.append(f"typedef {name}: header {c_type}, package {_name(getattr(module, name, None))}")

    for name in header.callbacks:
        if getattr(module, name, None) is not resolve(name, f"callback {name}"):
            problems.append(f"callback type {name} differs")

    for name, fields in header.structs.items():
        declared = getattr(module, name, None)
        if not (isinstance(declared, type) and issubclass(declared, ctypes.Structure)):
            problems.append(f"struct {name} is not a ctypes.Structure in the package")
            continue
        package_fields = list(declared._fields_)
        if [f[0] for f in package_fields] != [f[0] for f in fields]:
            problems.append(
                f"struct {name}: header fields {[f[0] for f in fields]}, package {[f[0] for f in package_fields]}"
            )
            continue
        for (field_name, c_type, length), (_, package_type) in zip(fields, package_fields):
            expected = resolve(c_type, f"{name}.{field_name}")
            if length is None:
                same = package_type is expected
            else:
                same = (
                    issubclass(package_type, ctypes.Array)
                    and package_type._type_ is expected
                    and package_type._length_ == length
                )
            if not same:
                problems.append(f"struct {name}.{field_name}: header {c_type}, package {_name(package_type)}")

    prototypes = module.PROTOTYPES
    for name in sorted(prototypes.keys() - header.functions.keys()):
        problems.append(f"function {name} is declared in the package but not in the header")
    for name, (returns, parameters) in header.functions.items():
        if name not in prototypes:
            problems.append(f"function {name} is declared in the header but not in the package")
            continue
        restype, argtypes = prototypes[name]
        if restype is not resolve(returns, name):
            problems.append(f"function {name}: returns {returns} in the header, {_name(restype)} in the package")
        expected = [resolve(p, name) for p in parameters]
        if len(expected) != len(argtypes) or any(a is not b for a, b in zip(expected, argtypes)):
            problems.append(
                f"function {name}: header parameters ({', '.join(parameters)}), "
                f"package ({', '.join(_name(a) for a in argtypes)})"
            )
    return problems

"""What travels to a borrowed GPU machine: the working tree (files git tracks, and untracked files
it does not ignore) plus the ignored folders brought along (`wheels/`). That machine takes 64 MiB
in all; `make wheels` runs this and fails above `--limit`, which leaves a margin."""
import subprocess, sys
from pathlib import Path
from fastcore.script import call_parse

MiB = 2**20

def tree_files(root='.') -> list:
    "Files of the working tree that travel: tracked (and present) or untracked and not ignored"
    names = subprocess.run(['git', 'ls-files', '-z', '--cached', '--others', '--exclude-standard'],
                           cwd=root, capture_output=True, check=True).stdout.split(b'\0')
    # a tracked file deleted in the work tree does not travel; a submodule is a folder
    return [p for n in dict.fromkeys(names) if n
            for p in [Path(root)/n.decode()] if p.is_file() and not p.is_symlink()]

def folder_files(folder) -> list: return [p for p in Path(folder).rglob('*') if p.is_file()]

def size(files) -> int: return sum(p.stat().st_size for p in files)

def largest(files, root='.', n:int=5) -> str:
    "The `n` top-level folders (or files) that weigh most, for the message that asks to shrink"
    by_top = {}
    for p in files:
        top = p.relative_to(root).parts[0]
        by_top[top] = by_top.get(top, 0) + p.stat().st_size
    return ', '.join(f'{k}/ {v / MiB:.1f} MiB' for k, v in sorted(by_top.items(),
                                                                   key=lambda kv: -kv[1])[:n])

@call_parse
def main(limit:float=60,          # MiB at most, working tree and `bring` together
         bring:str='wheels',      # ignored folders that travel too, comma-separated
         root:str='.'):           # the repository's root
    "Print the size of what travels to a borrowed GPU machine; exit 1 above `limit` MiB"
    tree = tree_files(root)
    extra = {b: folder_files(Path(root)/b) for b in bring.split(',') if b}
    total = size(tree) + sum(size(f) for f in extra.values())
    parts = ', '.join([f'tree {size(tree) / MiB:.1f} MiB in {len(tree)} files',
                       *[f'{b}/ {size(f) / MiB:.1f} MiB in {len(f)} files'
                         for b, f in extra.items()]])
    line = f'GPU transfer: {total / MiB:.1f} MiB ({parts}), limit {limit:g} MiB'
    if total <= limit * MiB:
        print(f'{line}: fits')
        return
    print(f'{line}: {(total - limit * MiB) / MiB:.1f} MiB too much for the borrowed GPU machine '
          f'(it takes 64 MiB in all); largest: '
          f'{largest(tree + [p for f in extra.values() for p in f], root)}', file=sys.stderr)
    sys.exit(1)

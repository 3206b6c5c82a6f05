#!/usr/bin/python3
"""Regenerates expected.json from cases.json with the shared corpus's reference renderer (Jinja2 3.1.2).

Run from anywhere: /usr/bin/python3 tests/Proton.Sdk.Tests/Rendering/Golden/regenerate.py
Needs Debian's python3-jinja2. Never edit expected.json by hand.
"""
import json, os, subprocess, sys, tempfile

here = os.path.dirname(os.path.abspath(__file__))
repo = os.path.abspath(os.path.join(here, '..', '..', '..', '..'))
renderer = os.environ.get('PROTON_SDK_CORPUS', os.path.join(repo, '..', 'shared', 'corpus'))
renderer = os.path.join(renderer, 'tools', 'render_jinja.py')
cases = json.load(open(os.path.join(here, 'cases.json'), encoding='utf-8'))
expected = {}
with tempfile.TemporaryDirectory() as tmp:
    for case in cases:
        t = os.path.join(tmp, 'template.yaml')
        c = os.path.join(tmp, 'context.json')
        with open(t, 'w', encoding='utf-8', newline='') as f:
            f.write(case['template'])
        with open(c, 'w', encoding='utf-8') as f:
            json.dump(case['context'], f)
        p = subprocess.run(['/usr/bin/python3', renderer, t, c], capture_output=True)
        if p.returncode == 0:
            expected[case['name']] = {'output': p.stdout.decode('utf-8')}
        else:
            expected[case['name']] = {'error': p.stderr.decode('utf-8').strip()}
with open(os.path.join(here, 'expected.json'), 'w', encoding='utf-8') as f:
    json.dump(expected, f, indent=2, ensure_ascii=False, sort_keys=True)
    f.write('\n')
print(f'{len(expected)} cases written')

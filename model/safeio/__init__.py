"""Safe input handling at the edges: one mechanism per concern.

- ``text``      printable, bounded renderings of untrusted text for messages
- ``files``     bounded reads of regular files only (no devices, FIFOs, symlink loops)
- ``safe_yaml`` the one YAML loader: no duplicate keys, no aliases/anchors, bounded size/depth
- ``ranges``    the one number validator: finite and inside an allowed range
"""

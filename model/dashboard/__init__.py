"""The planner's dashboard (``mfgbase dashboard``): move an instrument, see scorecard, cost and P(met).

``model.dashboard.engine`` is the model side (no web code); ``model.dashboard.app`` the Panel
page, usable served (``mfgbase dashboard``) and inside JupyterLab::

    >>> from model.dashboard import dashboard
    >>> app = dashboard("scenarios/plan-2004.yaml", lang="zh")   # a Panel object: display it in a cell
"""

from __future__ import annotations


def dashboard(scenario="scenarios/plan-2004.yaml", lang: str = "zh", **kw):
    """The dashboard page of ``scenario`` as a Panel object (see :func:`model.dashboard.app.build`)."""
    from model.dashboard.app import build

    return build(scenario, lang=lang, **kw)

"""The planner's dashboard (``mfgbase dashboard``): move an instrument, see scorecard, cost and P(met).

``model.dashboard.engine`` is the model side (no web code); ``model.dashboard.app`` the Panel
page, usable served (``mfgbase dashboard``) and inside JupyterLab::

    >>> import panel as pn; pn.extension()
    >>> from model.dashboard import dashboard
    >>> d = dashboard("scenarios/plan-2004.yaml", lang="zh")   # shown as the page when a cell ends with it
    >>> d.set(rd_special_fund=40).target("rd_sales_ratio").p_met   # move an instrument from code
"""

from __future__ import annotations


def dashboard(scenario="scenarios/plan-2004.yaml", lang: str = "zh", **kw):
    """The dashboard of ``scenario`` (a :class:`model.dashboard.app.Dashboard`; its ``.page`` is the Panel layout)."""
    from model.dashboard.app import build

    return build(scenario, lang=lang, **kw)

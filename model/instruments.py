"""Behavioural responses to the government's instruments, and what the instruments cost.

Small pure functions of numbers (compiled into the core by ``model.kernel``; called from Python
they broadcast over numpy arrays too, see ``model.equations`` for the conventions). Each states
its equation, units and the source of its parameters
(the parameters themselves, with ranges and distributions, are in calibration/priors.yaml;
docs/model.md section 3.I explains the block).

Conventions: money in 100m_yuan; ``*_nominal`` at current prices, otherwise at 2003 prices.
Shares and rates as fractions. Every money instrument acts through a response with
diminishing returns (:func:`saturate`), so a yuan spent buys less the more is spent.
"""

from __future__ import annotations

import numpy as np

TEN_K_YUAN_PER_100M_YUAN = 1.0e4  # 1 (100m yuan) = 10 000 (10k yuan)


def saturate(x, cap):
    """Diminishing returns: cap * (1 - exp(-x / cap)) for x >= 0 (x itself for x < 0).

    Slope 1 at x = 0, approaches ``cap`` as x grows: the effect of an instrument whose raw
    (linear) effect is x can never exceed cap. Same unit as x and cap; cap > 0.
    """
    return saturate_by_fill(x, cap, -np.expm1(-saturation_exponent(x, cap)))


def saturation_exponent(x, cap):
    """z = max(x, 0) / cap: the argument of :func:`saturate`'s exponential (dimensionless)."""
    return np.maximum(x, 0.0) / cap


def saturate_by_fill(x, cap, fill):
    """:func:`saturate` given its fill 1 - exp(-z) = -expm1(-z) (the kernel evaluates a row at once)."""
    return np.minimum(x, 0.0) + cap * fill


# ------------------------------------------------------------------------------ R&D (11, 12, 25)
def tax_price_target(tax_credit, price_elasticity):
    """Long-run R&D response to its tax price, x* = (1 - c)^eps (multiple of the no-policy path).

    c = the R&D tax credit rate (fraction of R&D returned as tax relief, beyond the 2003 regime),
    so the tax price of R&D is 1 - c; eps = ``rd_tax_price_elasticity`` (< 0; about -1 in the
    long run, Bloom, Griffith & Van Reenen 2002, J. Public Econ. 85). Dimensionless.
    """
    return tax_price(tax_credit) ** price_elasticity


def tax_price(tax_credit):
    """The tax price of R&D, 1 - c (fraction of a yuan of R&D the firm bears)."""
    return 1.0 - tax_credit


def adjust_intensity(previous, desired, speed):
    """Partial adjustment x[t] = x[t-1] + phi (x*[t] - x[t-1]); phi in (0, 1] per year.

    Applied to the tax-price response (x[2003] = 1): BGV (2002) find a short-run tax-price
    elasticity of about -0.14 against about -1.09 in the long run, i.e. phi of about 0.13 a
    year; ``rd_adjustment_speed`` carries that.
    """
    return previous + speed * (desired - previous)


def rd_intensity_multiple(years_since_base, drift, tax_response, ceiling_multiple):
    """Firms' own R&D intensity as a multiple of their 2003 intensity.

        m[t] = 1 + saturate(exp(g t) x[t] - 1, M - 1)

    t: years since 2003; g = ``rd_intensity_drift`` (1/yr): the trend of firms' own intensity
    without new policy, an observed trend of actual intensities, so it is *not* lagged (the
    2003 intensity is on it); x[t] = the lagged tax-price response (:func:`adjust_intensity`
    toward :func:`tax_price_target`, 1 without a credit); M = ``rd_intensity_ceiling_multiple``
    (the most firms can absorb within the horizon: research staff and projects do not scale
    instantly). Dimensionless.
    """
    return 1.0 + saturate(rd_intensity_excess(np.exp(drift * years_since_base), tax_response), ceiling_multiple - 1.0)


def rd_intensity_excess(trend_factor, tax_response):
    """exp(g t) x[t] - 1: what :func:`rd_intensity_multiple` saturates, given the trend factor exp(g t)
    (the kernel takes the exp of every year at once)."""
    return trend_factor * tax_response - 1.0


def fund_induced_rd(fund_real, own_rd, additionality):
    """Extra R&D from the provincial special fund (grants), 100m yuan at 2003 prices.

        RD_fund = theta * saturate(F, RD_own)

    F = grant money reaching the sector (2003 prices); theta = ``rd_fund_additionality``: total
    R&D per yuan of grant at the margin (0 = full crowding-out, 1 = one for one, > 1 crowding-in;
    David, Hall & Toole 2000, Research Policy 29: the evidence is ambivalent). Diminishing
    returns once the fund is comparable with firms' own R&D (they cannot absorb it).
    """
    return additionality * saturate(fund_real, fund_absorption_cap(own_rd))


def fund_absorption_cap(own_rd):
    """The cap of :func:`fund_induced_rd`'s saturation: firms' own R&D (at least 1e-12), 100m yuan."""
    return np.maximum(own_rd, 1e-12)


def tfp_growth_rd(autonomous, rd_return, rd_previous, va_previous):
    """Rate-of-return form: dlnA[t] = lambda + rho_R RD[t-1] / VA[t-1].

    rho_R = ``rd_return``, the gross rate of return to R&D (Griliches 1979, Bell J. Econ. 10;
    Hall, Mairesse & Mohnen 2010, Handbook of the Economics of Innovation: about 0.1-0.5).
    R&D and value added in the same unit (100m yuan, 2003 prices); lambda = ``tfp_growth``.
    The return is the parameter itself, so it cannot drift away from the literature.
    """
    return autonomous + rd_return * rd_previous / va_previous


# ------------------------------------------------------------------------ investment (7, 9)
def accelerator_investment(d0, k_prev, k_2002, g_expected, g_reference, rate0, beta_acc, profitability):
    """Behavioural domestic investment (flexible accelerator with profitability), 2003 prices.

        D[t] = D[2003] (K[t-1] / K[2002]) (r[t] / r[0]) Pi[t]
        Pi[t] = (MPK[t-1] / MPK[2003])^beta_pi           (:func:`profitability_factor`)
        r[t] = max(r[0] + beta_acc (g^e[t] - g^ref), 0.1 r[0]),   r[0] = I[2003] / K[2002]

    Firms keep the investment rate r = I/K they ran in 2003 (the observed rate, so 2004 starts
    from the data) and move it with expected output growth g^e (last year's real value-added
    growth) relative to the growth they were investing for, g^ref (the 2004 growth): the
    accelerator (Chirinko 1993, J. Econ. Lit. 31). Profitability MPK ~ VA / K relative to 2003
    scales it (Ding, Guariglia & Knight 2013, J. Banking & Finance 37, on Chinese firms'
    investment and internal funds): when capital outgrows output, investment slows.
    beta_acc = ``invest_accelerator``, beta_pi = ``invest_profitability``.
    """
    rate = np.maximum(rate0 + beta_acc * (g_expected - g_reference), 0.1 * rate0)
    return d0 * (k_prev / k_2002) * (rate / rate0) * profitability


def profitability_factor(mpk_ratio, beta_profit):
    """Pi = (MPK[t-1] / MPK[2003])^beta_pi, MPK ~ VA / K: scales :func:`accelerator_investment`."""
    return np.exp(profitability_exponent(np.log(mpk_ratio), beta_profit))


def profitability_exponent(log_mpk_ratio, beta_profit):
    """ln Pi = beta_pi ln(MPK[t-1] / MPK[2003]); the kernel has ln MPK = ln VA - ln K at hand."""
    return beta_profit * log_mpk_ratio


def renovation_uplift(grant_real, domestic_investment_total, leverage, cap):
    """Proportional rise of domestic investment from technical-renovation grants (task 7).

        u = saturate(lambda_G G / D, u_max)

    G = grants and interest subsidies for technical renovation (2003 prices), D = domestic
    investment before the grant (province total); lambda_G = ``renovation_leverage`` (extra
    investment per yuan of grant at the margin), u_max = ``renovation_uplift_max``. Returns u
    (fraction); investment becomes D (1 + u).
    """
    return saturate(leverage * grant_real / np.maximum(domestic_investment_total, 1e-12), cap)


def crowd_out(domestic, fdi_investment, fdi_investment_2003, crowding_out):
    """Domestic investment net of crowding-out by FDI growth (Agosin & Machado 2005).

        D[t] = max(D*[t] - kappa (I^F[t] - I^F[2003]), 0.1 D*[t])

    kappa = ``fdi_crowding_out`` (0 = FDI adds one for one to total investment, 1 = it only
    displaces domestic investment; Agosin & Machado 2005, Oxford Dev. Studies 33(2), find
    neutral to crowding-out effects).
    """
    return np.maximum(domestic - crowding_out * (fdi_investment - fdi_investment_2003), 0.1 * domestic)


# ------------------------------------------------------------------------------------ FDI (14)
def fdi_promotion_multiple(promotion_real, reference, elasticity):
    """FDI relative to what arrives without extra promotion: (1 + P / P_ref)^eps.

    P = promotion spending and concessions (land, tax) beyond the 2003 effort (2003 prices,
    100m yuan/yr); P_ref = ``fdi_promotion_reference`` (the 2003 effort); eps =
    ``fdi_promotion_elasticity`` < 1 (Morisset & Andrews-Johnson 2004, FIAS Occasional Paper 16:
    about 0.25 for investment-promotion budgets), so each extra dollar of FDI costs more.
    """
    return fdi_promotion_base(promotion_real, reference) ** elasticity


def fdi_promotion_base(promotion_real, reference):
    """1 + max(P, 0) / P_ref: the base of :func:`fdi_promotion_multiple`'s power (dimensionless)."""
    return 1.0 + np.maximum(promotion_real, 0.0) / reference


# ---------------------------------------------------------------------- informatization (10)
def bass_subsidy_p(p0, subsidy_per_adopter, max_increase, cost_scale):
    """Innovation coefficient with an adoption subsidy: p = p0 + dp_max (1 - exp(-s / c)).

    s = subsidy per adopting firm (10k yuan, nominal); c = ``erp_cost_scale`` (subsidy that
    reaches 63 % of the maximal effect: about a typical implementation cost); dp_max =
    ``erp_subsidy_max_dp``. Diminishing returns in s. 1/yr.
    """
    return bass_subsidy_p_by_fill(p0, max_increase, -np.expm1(-bass_subsidy_exponent(subsidy_per_adopter, cost_scale)))


def bass_subsidy_exponent(subsidy_per_adopter, cost_scale):
    """s^+ / c: the exponent of :func:`bass_subsidy_p`."""
    return np.maximum(subsidy_per_adopter, 0.0) / cost_scale


def bass_subsidy_p_by_fill(p0, max_increase, fill):
    """:func:`bass_subsidy_p` given fill = 1 - exp(-s^+ / c) (the kernel takes expm1 of every year at once)."""
    return p0 + max_increase * fill


def bass_ceiling(f_prev, p, q, ceiling):
    """Bass diffusion with a ceiling m < 1: F[t] = F[t-1] + (p[t] + q F[t-1] / m) (m - F[t-1])^+.

    Shares of firms; p[t] from :func:`bass_subsidy_p`, q and m = ``ceiling`` per run; F[0] is
    the 2003 share clipped to [0, 1]. F never exceeds m (and stays put if it started above m).
    """
    return f_prev + (p + q * f_prev / ceiling) * np.maximum(ceiling - f_prev, 0.0)


# ----------------------------------------------------------------------------------- costs
def erp_subsidy_cost(subsidy_per_adopter, adoption_share, adoption_share_prev, n_firms):
    """Yearly cost (100m yuan, nominal) of paying s (10k yuan) per new adopter.

        C[t] = s[t] N (F[t] - F[t-1])^+ / 10^4,  C[2003] = 0

    adoption share F among above-size firms; N = their 2003 count (ModelBase.above_size_firms_2003, held constant).
    """
    new = np.maximum(adoption_share - adoption_share_prev, 0.0)
    return subsidy_per_adopter * n_firms * new / TEN_K_YUAN_PER_100M_YUAN


def effort_index(value, high):
    """Non-monetary instrument (approval, designation): value / the top of its range, in [0, 1]."""
    return np.clip(np.asarray(value, dtype=float) / high, 0.0, 1.0)


def budget_envelope(expenditure_2003, expenditure_index, share):
    """Provincial envelope for the instruments, 100m yuan nominal per year.

        B[t] = s[t] E[2003] prod_{j=1..t} (1 + g[j])

    E[2003] = Zhejiang local fiscal expenditure 2003 (calibration/fiscal.csv); g = assumed
    nominal growth of that expenditure (``expenditure_index`` is the product, by
    :func:`model.equations.growth_index`); s = share of it the province can devote to the
    advanced-manufacturing instruments (assumptions ``fiscal_expenditure_growth`` and
    ``programme_budget_share``).
    """
    return share * expenditure_2003 * expenditure_index

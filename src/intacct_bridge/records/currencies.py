"""ISO 4217 currency codes: what a currency field accepts (API and forms alike).

The active codes of the standard, without XXX ("no currency") and XTS (reserved for testing),
which no invoice or bill is ever in. Lower case is accepted and stored upper case.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator

CODES = frozenset(
    """
    AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BOV BRL BSD BTN BWP
    BYN BZD CAD CDF CHE CHF CHW CLF CLP CNY COP COU CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR
    FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES
    KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR
    MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF
    SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS
    UAH UGX USD USN UYI UYU UYW UZS VED VES VND VUV WST XAF XAG XAU XBA XBB XBC XBD XCD XCG XDR XOF
    XPD XPF XPT XSU XUA YER ZAR ZMW ZWG
    """.split()
)


def problem(code: str) -> str | None:
    """Why ``code`` is not a currency code, or None if it is one."""
    if code.upper() in CODES:
        return None
    return f"{code!r} is not an ISO 4217 currency code (such as USD, EUR, GBP)"


def _check(code: str) -> str:
    why = problem(code)
    if why:
        raise ValueError(why)
    return code.upper()


def _check_optional(code: str) -> str:
    return _check(code) if code else code


#: a pydantic field type: an ISO 4217 code, stored upper case
Currency = Annotated[str, AfterValidator(_check)]
#: the same, or "" for "the default currency"
OptionalCurrency = Annotated[str, AfterValidator(_check_optional)]

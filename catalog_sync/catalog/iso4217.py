"""The ISO 4217 alphabetic currency codes a CurrencyString may hold (CDS `_types.md`:
"Standard 3 character currency codes as per ISO-4217"), shipped with the package: no
network at run time. The schema generator writes them into the CurrencyString pattern and
validate names the closest one when a code is not in the list.

Source: ISO 4217 "List one: Currency, fund and precious metal codes" as published by its
maintenance agency, SIX Financial Information, edition of 2024-06-25 (`list-one.xml`,
<ISO_4217 Pblshd="2024-06-25">, sha256 676e1276...3467 of the copy at
github.com/tlesicka/actual-budget-multicurrency-todo, blob `list-one.xml` @ 769be0e):
its 179 distinct `Ccy` codes, funds and precious metals included. Added by hand since that
edition: XCG (Caribbean guilder, in use in Curaçao and Sint Maarten from 2025-03-31) and
XAD (Arab Accounting Dinar), both in the 2025-05-12 edition. ANG and CUC, which that edition
withdraws, are kept: refusing a code a product published a few months ago could use is the
worse error (docs/schemas.md).
"""

from __future__ import annotations

_LIST_ONE_2024_06_25 = """
    AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND
    BOB BOV BRL BSD BTN BWP BYN BZD CAD CDF CHE CHF CHW CLF CLP CNY COP COU
    CRC CUC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS
    GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY
    KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA
    MKD MMK MNT MOP MRU MUR MVR MWK MXN MXV MYR MZN NAD NGN NIO NOK NPR NZD
    OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK
    SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD
    TZS UAH UGX USD USN UYI UYU UYW UZS VED VES VND VUV WST XAF XAG XAU XBA
    XBB XBC XBD XCD XDR XOF XPD XPF XPT XSU XTS XUA XXX YER ZAR ZMW ZWG
"""

CODES = frozenset(_LIST_ONE_2024_06_25.split()) | {"XAD", "XCG"}
"""Every accepted code: three capital letters each."""

"""Helpers behind the weekly Qlue complaint report for Jakarta's kota offices.

The package follows the data one way, one module or sub-package per step:

``areas``      the official list of kota, kecamatan and kelurahan
``canonical``  the one table of reports every later step works on
``intake``     exports in, canonical table out, bad rows set aside with a reason
``store``      years of reports on disk, read with pushdown
``synthetic``  seeded realistic data, including the November 2015 sample
``figures``    status, ranking, timings, backlog, trends: functions on DataFrames
``rules``      the rule files under params/ (scoring, service levels, agencies)
``display``    Indonesian formats, escaped tables, charts, the report's sentences
``params``     the report's parameters, checked before anything runs
``kernel``     the kernel a report runs in, booted while the rest imports
``runner``     papermill execution and the run folder (``runfolder``)
``rendering``  nbconvert to HTML
``delivery``   recipients, scoped weekly runs, email
``cli``        the ``qlue`` command, a thin layer over the above
``project``    where the notebooks, sample data and outputs are
"""

import logging

from qlue_helpers.errors import QlueError

__all__ = ["QlueError"]
__version__ = "0.1.0"

# A library stays quiet unless the program using it configures logging.
logging.getLogger(__name__).addHandler(logging.NullHandler())

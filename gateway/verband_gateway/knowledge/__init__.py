"""The network's own knowledge: its library of procedures and working agreements (with an
owner, a review date and every version of their file) and its vorming moments with
registration. A JSON API and the portal's pages "Kennisbank" and "Vorming"; everything comes
from the meetings service, which decides who may read and write."""

"""Publications: a run published through the approval workflow becomes files (today Excel;
Word and PDF come here too), each recorded in `publication` with its hash."""

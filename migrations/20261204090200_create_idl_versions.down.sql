DROP TABLE idl_versions;

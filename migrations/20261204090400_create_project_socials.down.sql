DROP TABLE project_socials;

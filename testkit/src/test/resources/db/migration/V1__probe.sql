CREATE TABLE probe (
  id    serial PRIMARY KEY,
  owner text   NOT NULL
);

INSERT INTO probe (owner) VALUES ('seed');

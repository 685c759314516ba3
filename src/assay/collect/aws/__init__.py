"""Collectors, one module per AWS service, named after the boto3 service."""

"""SageMaker: a locked-down research notebook and a quick-start one; scoring endpoint configurations."""

from __future__ import annotations

from assay.demo.estate import ClientFactory

ROLE = "arn:aws:iam::123456789012:role/northwind-sagemaker"


def seed(client: ClientFactory, regions: list[str]) -> None:
    region = regions[-1]
    sm = client("sagemaker", region)
    kms = client("kms", region)
    key = kms.create_key(Description="SageMaker volumes")["KeyMetadata"]["Arn"]
    kms.enable_key_rotation(KeyId=key)  # a well-kept key, so that it passes the KMS controls too
    kms.create_alias(AliasName="alias/pass-sagemaker-volumes", TargetKeyId=key)
    sm.create_notebook_instance(NotebookInstanceName="pass-churn-research", InstanceType="ml.t3.medium",
                                RoleArn=ROLE, KmsKeyId=key, SubnetId="subnet-0private1",
                                SecurityGroupIds=["sg-0notebook"], DirectInternetAccess="Disabled")
    sm.create_notebook_instance(NotebookInstanceName="fail-quickstart", InstanceType="ml.t3.medium", RoleArn=ROLE)
    sm.create_model(ModelName="churn-model", ExecutionRoleArn=ROLE,
                    PrimaryContainer={"Image": "123456789012.dkr.ecr.eu-west-1.amazonaws.com/churn:3"})

    def variant(instance_type: str) -> list[dict[str, object]]:
        return [{"VariantName": "main", "ModelName": "churn-model", "InitialInstanceCount": 1,
                 "InstanceType": instance_type}]

    sm.create_endpoint_config(EndpointConfigName="pass-churn-scoring", KmsKeyId=key,
                              ProductionVariants=variant("ml.m5.large"))
    sm.create_endpoint_config(EndpointConfigName="fail-churn-scoring-v1", ProductionVariants=variant("ml.m5.large"))
    sm.create_endpoint_config(EndpointConfigName="skip-churn-scoring-gpu", ProductionVariants=variant("ml.g4dn.xlarge"))
